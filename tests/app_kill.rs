//! Kills the real desktop app, under Xvfb, while it edits and while it saves, and checks that
//! the last saved plan and the recovery copy are whole and load.
//!
//! It needs Xvfb and xdotool, which `cargo test` cannot install, so it is ignored there and run
//! by `.ci/run` after it installs them: `cargo test --test app_kill -- --ignored`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use drplan::io;

const SAMPLE: &str = "samples/azure-full-region.drplan.json";
/// Where the "+ Primary site" button of the toolbar is in a 1400 × 900 window.
const ADD_PRIMARY_SITE: (u32, u32) = (84, 34);

/// An Xvfb server on a display it chose itself, stopped on drop.
struct VirtualDisplay {
    server: Child,
    /// The pipe Xvfb wrote its display number to, kept open while it runs: closing it would
    /// kill Xvfb with SIGPIPE the next time it writes there.
    _display_pipe: BufReader<std::process::ChildStdout>,
    name: String,
}

impl VirtualDisplay {
    fn start() -> Self {
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

    fn xdotool(&self, args: &[&str]) -> String {
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
struct App {
    process: Child,
    window: String,
}

impl App {
    /// Starts the app and waits for its window. Now and then the app cannot connect to a
    /// freshly used Xvfb ("Failed to open connection to X server", seen both here and in CI while
    /// the server answers xdotool fine); such a start is retried, up to five times, since what
    /// these tests check is what a kill leaves behind, not the start.
    fn open(display: &VirtualDisplay, plan: &Path, recovery_dir: &Path) -> Self {
        let mut failures = Vec::new();
        while failures.len() < 5 {
            let mut process = Command::new(env!("CARGO_BIN_EXE_drplan"))
                .arg(plan)
                .env("DISPLAY", &display.name)
                .env_remove("WAYLAND_DISPLAY")
                .env("DRPLAN_RECOVERY_DIR", recovery_dir)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("drplan starts");
            let window = wait_for("the drplan window, or drplan's exit", Duration::from_secs(60), || {
                if process.try_wait().expect("drplan's status").is_some() {
                    return Some(None);
                }
                display.xdotool(&["search", "--name", "drplan"]).lines().next().map(|window| Some(window.to_owned()))
            });
            if let Some(window) = window {
                sleep(Duration::from_secs(3)); // the first frames, drawn by Mesa's software renderer
                return Self { process, window };
            }
            let mut said = String::new();
            let _ = std::io::Read::read_to_string(&mut process.stderr.take().expect("drplan's stderr"), &mut said);
            eprintln!("drplan exited before its window came up on {}: {said}", display.name);
            failures.push(said);
        }
        panic!("drplan never opened its window on {}: {failures:?}", display.name);
    }

    fn click(&self, display: &VirtualDisplay, (x, y): (u32, u32)) {
        display.xdotool(&["mousemove", "--sync", &x.to_string(), &y.to_string(), "click", "1"]);
    }

    fn press(&self, display: &VirtualDisplay, keys: &str) {
        display.xdotool(&["windowfocus", "--sync", &self.window]);
        display.xdotool(&["key", keys]);
    }

    /// SIGKILL: no destructor, no flush, no chance to tidy up.
    fn kill(mut self) {
        self.process.kill().expect("kill drplan");
        self.process.wait().expect("reap drplan");
    }
}

fn wait_for<T>(what: &str, limit: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(found) = probe() {
            return found;
        }
        assert!(start.elapsed() < limit, "no {what} after {limit:?}");
        sleep(Duration::from_millis(50));
    }
}

/// The one recovery copy in `dir`, once it holds a plan with `sites` sites.
fn recovery_copy_with(dir: &Path, sites: usize) -> PathBuf {
    wait_for(&format!("recovery copy with {sites} sites"), Duration::from_secs(20), || {
        let copy = std::fs::read_dir(dir).ok()?.filter_map(Result::ok).map(|entry| entry.path()).find(|path| {
            path.extension().is_some_and(|extension| extension == "recovery")
        })?;
        io::load(&copy).ok().filter(|plan| plan.sites.len() == sites).map(|_| copy)
    })
}

fn sites_in(path: &Path) -> usize {
    io::load(path).unwrap_or_else(|error| panic!("{} must load after the kill: {error}", path.display())).sites.len()
}

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn killing_the_app_while_editing_keeps_the_saved_plan_and_a_recovery_copy_with_the_edits() {
    let display = VirtualDisplay::start();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.drplan.json");
    std::fs::copy(SAMPLE, &plan).unwrap();
    let original = std::fs::read(&plan).unwrap();
    let original_sites = sites_in(&plan);
    let recovery_dir = dir.path().join("recovery");

    let app = App::open(&display, &plan, &recovery_dir);
    app.click(&display, ADD_PRIMARY_SITE);
    recovery_copy_with(&recovery_dir, original_sites + 1);
    app.click(&display, ADD_PRIMARY_SITE);
    let copy = recovery_copy_with(&recovery_dir, original_sites + 2);
    app.kill();

    assert_eq!(std::fs::read(&plan).unwrap(), original, "the plan file was never saved, so it must be untouched");
    assert_eq!(sites_in(&copy), original_sites + 2, "the recovery copy holds both edits");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).map(|entry| entry.file_name()).collect();
    assert_eq!(leftovers.len(), 2, "only the plan and the recovery folder: {leftovers:?}");
}

#[test]
#[ignore = "needs Xvfb and xdotool; .ci/run installs them and runs it"]
fn killing_the_app_during_a_save_leaves_the_old_or_the_new_plan_whole() {
    let display = VirtualDisplay::start();
    let mut outcomes = Vec::new();
    for delay_ms in [0, 2, 5, 10, 20, 40, 80, 400] {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("plan.drplan.json");
        std::fs::copy(SAMPLE, &plan).unwrap();
        let original_sites = sites_in(&plan);
        let recovery_dir = dir.path().join("recovery");

        let app = App::open(&display, &plan, &recovery_dir);
        app.click(&display, ADD_PRIMARY_SITE);
        recovery_copy_with(&recovery_dir, original_sites + 1);
        app.press(&display, "ctrl+s");
        sleep(Duration::from_millis(delay_ms));
        app.kill();

        let sites = sites_in(&plan);
        assert!(
            sites == original_sites || sites == original_sites + 1,
            "killed {delay_ms} ms into a save: the plan has {sites} sites, neither the old {original_sites} nor the new"
        );
        // A recovery copy left behind (the save had not finished) must load too.
        for entry in std::fs::read_dir(&recovery_dir).into_iter().flatten().filter_map(Result::ok) {
            sites_in(&entry.path());
        }
        outcomes.push((delay_ms, if sites == original_sites { "old plan" } else { "new plan" }));
    }
    eprintln!("kill during save, by delay: {outcomes:?}");
    assert!(outcomes.iter().any(|(_, outcome)| *outcome == "new plan"), "the save never happened: {outcomes:?}");
}
