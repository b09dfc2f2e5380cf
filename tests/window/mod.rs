//! The real drplan window under Xvfb, for the tests that need what egui_kittest cannot give: a
//! real X server, the real pointer and keyboard through xdotool, and a process that can be killed.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// An Xvfb server on a display it chose itself, stopped on drop.
pub struct VirtualDisplay {
    server: Child,
    /// The pipe Xvfb wrote its display number to, kept open while it runs: closing it would
    /// kill Xvfb with SIGPIPE the next time it writes there.
    _display_pipe: BufReader<std::process::ChildStdout>,
    pub name: String,
}

impl VirtualDisplay {
    pub fn start() -> Self {
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (.ci/run installs it)");
        // Xvfb writes the display number once it accepts connections.
        let mut line = String::new();
        let mut display_pipe = BufReader::new(server.stdout.take().expect("Xvfb's stdout"));
        display_pipe.read_line(&mut line).expect("the display number");
        Self { server, _display_pipe: display_pipe, name: format!(":{}", line.trim()) }
    }

    pub fn xdotool(&self, args: &[&str]) -> String {
        let output = Command::new("xdotool").args(args).env("DISPLAY", &self.name).output().expect("xdotool is installed");
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The drplan window on a plan, with its recovery copies in `recovery_dir`.
pub struct App {
    pub process: Child,
    pub window: String,
    /// Where eframe keeps the window's state (panel widths, preferences): empty at each start, so
    /// every test sees the window a new user sees.
    _state: tempfile::TempDir,
}

impl App {
    /// Starts the app and waits for its window. Now and then the app cannot connect to a
    /// freshly used Xvfb ("Failed to open connection to X server", seen both here and in CI while
    /// the server answers xdotool fine); such a start is retried, up to five times, since what
    /// these tests check is what a kill leaves behind, not the start.
    pub fn open(display: &VirtualDisplay, plan: &Path, recovery_dir: &Path) -> Self {
        Self::start(display, Some(plan), recovery_dir, |_| {})
    }

    /// Starts the app on `plan` (none: an untitled plan), with `configure` adding to its
    /// environment, and waits for its window.
    pub fn start(display: &VirtualDisplay, plan: Option<&Path>, recovery_dir: &Path, configure: impl Fn(&mut Command)) -> Self {
        let mut failures = Vec::new();
        let state = tempfile::tempdir().expect("a state directory");
        while failures.len() < 5 {
            let mut command = Command::new(env!("CARGO_BIN_EXE_drplan"));
            command.args(plan);
            command
                .env("DISPLAY", &display.name)
                .env_remove("WAYLAND_DISPLAY")
                .env("DRPLAN_RECOVERY_DIR", recovery_dir)
                .env("XDG_DATA_HOME", state.path())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            configure(&mut command);
            let mut process = command.spawn().expect("drplan starts");
            let window = wait_for("the drplan window, or drplan's exit", Duration::from_secs(60), || {
                if process.try_wait().expect("drplan's status").is_some() {
                    return Some(None);
                }
                display.xdotool(&["search", "--name", "drplan"]).lines().next().map(|window| Some(window.to_owned()))
            });
            if let Some(window) = window {
                sleep(Duration::from_secs(3)); // the first frames, drawn by Mesa's software renderer
                return Self { process, window, _state: state };
            }
            let mut said = String::new();
            let _ = std::io::Read::read_to_string(&mut process.stderr.take().expect("drplan's stderr"), &mut said);
            eprintln!("drplan exited before its window came up on {}: {said}", display.name);
            failures.push(said);
        }
        panic!("drplan never opened its window on {}: {failures:?}", display.name);
    }

    pub fn click(&self, display: &VirtualDisplay, (x, y): (u32, u32)) {
        display.xdotool(&["mousemove", "--sync", &x.to_string(), &y.to_string(), "click", "1"]);
    }

    pub fn press(&self, display: &VirtualDisplay, keys: &str) {
        display.xdotool(&["windowfocus", "--sync", &self.window]);
        display.xdotool(&["key", keys]);
    }

    /// Types text as key presses into the focused widget.
    pub fn type_text(&self, display: &VirtualDisplay, text: &str) {
        display.xdotool(&["windowfocus", "--sync", &self.window]);
        display.xdotool(&["type", "--delay", "15", text]);
    }

    /// SIGKILL: no destructor, no flush, no chance to tidy up.
    pub fn kill(mut self) {
        self.process.kill().expect("kill drplan");
        self.process.wait().expect("reap drplan");
    }
}

pub fn wait_for<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(start.elapsed() < limit, "no {what} after {limit:?}");
        sleep(Duration::from_millis(50));
    }
}
