//! The typed parse of a plan on every core, for the common case: a current plan that parses.
//!
//! One thread reads the text piece by piece and finds its outline (`outline`): where each element
//! of the long lists starts and ends, and the other fields' text. Each run of elements is read on
//! whichever core is free while the outline goes on, and a piece of text is dropped as soon as
//! its elements are read. So a plan file is never held whole in memory while it is parsed: at
//! most a few pieces of it (`IN_FLIGHT` runs of elements) are, beside the plan being made.
//!
//! Anything unusual (a key written with an escape, a long list given twice or not as a list, any
//! element or field that does not read) gives None, and `io::parse` reads the whole text the
//! careful way, which finds and places the fault. So a plan that parses here is the plan the
//! serial parse makes, and every message stays the serial parse's.

use std::io::Read;
use std::ops::{Deref, Range};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;

use super::objects_only::ObjectsOnly;
use super::outline::{LongList, Outline};
use crate::model::*;

/// How much of a file is read at a time: 1 MiB.
pub(super) const PIECE_BYTES: usize = 1024 * 1024;

/// Elements read together on one core, as one task.
const RUN_LENGTH: usize = 256;

/// The most runs of elements waiting to be read before the outline waits (and reads runs
/// itself): this bounds the pieces of text held at once.
const IN_FLIGHT: usize = 8;

/// The plan `text` holds, when it parses; None sends the caller to the careful, serial parse.
pub(super) fn read_plan(text: &str) -> Option<Plan> {
    let mut whole = Some(text.as_bytes());
    read_pieces(text.len(), |_| whole.take().map(|text| (Piece::Borrowed(text), true)))
}

/// The plan a file holds, read `piece_bytes` at a time, when it parses and is at most `limit`
/// bytes long; None sends the caller to read the whole file and parse it the careful way.
pub(super) fn read_plan_from(mut file: impl Read + Send, text_bytes: usize, piece_bytes: usize, limit: u64) -> Option<Plan> {
    let mut total = 0u64;
    read_pieces(text_bytes, move |carried| {
        // A token longer than a piece is read again with at least as much again after it, so
        // however long it is, it is scanned a few times at most.
        let wanted = piece_bytes.max(carried.len());
        let mut piece = Vec::with_capacity(carried.len() + wanted);
        piece.extend_from_slice(carried);
        let read = file.by_ref().take(wanted as u64).read_to_end(&mut piece).ok()?;
        total += read as u64;
        (total <= limit).then(|| (Piece::Read(Arc::new(piece)), read < wanted))
    })
}

/// A piece of a plan's text: all of it, borrowed, or a piece read from a file, shared by the
/// runs of elements read from it and dropped with the last of them.
#[derive(Clone)]
enum Piece<'text> {
    Borrowed(&'text [u8]),
    Read(Arc<Vec<u8>>),
}

impl Deref for Piece<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Borrowed(text) => text,
            Self::Read(piece) => piece,
        }
    }
}

/// The plan whose text `next_piece` gives, piece by piece. It is given what the last scan left
/// (the start of an unfinished token) and gives the next piece, starting with that, and whether
/// it is the last; None when the text cannot be read.
fn read_pieces<'text>(text_bytes: usize, mut next_piece: impl FnMut(&[u8]) -> Option<(Piece<'text>, bool)> + Send) -> Option<Plan> {
    let lists = LongLists::default();
    let failed = AtomicBool::new(false);
    let waiting = AtomicUsize::new(0);
    let rest = rayon::scope(|scope| {
        let mut runs = Runs {
            scope,
            lists: &lists,
            failed: &failed,
            waiting: &waiting,
            run: Vec::new(),
            list: LongList::Networks,
            numbers: [0; LongList::ALL.len()],
            text_bytes,
        };
        let mut outline = Outline::new();
        let mut carried: Option<(Piece, usize)> = None;
        let rest = loop {
            runs.wait_below(IN_FLIGHT);
            let tail = carried.as_ref().map_or(&[][..], |(piece, scanned)| &piece[*scanned..]);
            let Some((piece, at_end)) = next_piece(tail) else {
                break None;
            };
            let Some(scanned) = outline.scan(&piece, at_end, |list, range| runs.element(&piece, list, range)) else {
                break None;
            };
            runs.send(&piece);
            if at_end {
                break outline.finish();
            }
            carried = Some((piece, scanned));
        };
        if rest.is_none() {
            failed.store(true, Ordering::Relaxed);
        }
        rest
    })?;
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    let mut plan: Plan = read_object(&rest).ok()?;
    let LongLists { networks, subnets, machines, connections, network_mappings } = lists;
    plan.networks = networks.into_list()?;
    plan.subnets = subnets.into_list()?;
    plan.machines = machines.into_list()?;
    plan.connections = connections.into_list()?;
    plan.network_mappings = network_mappings.into_list()?;
    Some(plan)
}

/// One JSON object of `text`, its objects only as JSON objects (`objects_only`), and nothing
/// after it.
fn read_object<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(ObjectsOnly(&mut deserializer))?;
    deserializer.end()?;
    Ok(value)
}

/// One long list as its runs are read: each run is added to the list when those before it are,
/// so the list is made in order, in one place (a list put together from its runs at the end would
/// hold it twice for a moment).
struct ReadRuns<T>(Mutex<Assembly<T>>);

struct Assembly<T> {
    list: Vec<T>,
    /// The number of the run the list takes next.
    next: usize,
    /// Runs read before one ahead of them: at most the runs in flight.
    early: Vec<(usize, Vec<T>)>,
}

impl<T> Default for ReadRuns<T> {
    fn default() -> Self {
        Self(Mutex::new(Assembly { list: Vec::new(), next: 0, early: Vec::new() }))
    }
}

impl<T> ReadRuns<T> {
    /// Adds run `number` (None: it did not read) to the list. The first run comes with how
    /// many elements the list may hold at most, for the list's room: what is never filled is
    /// never touched, so it takes no memory.
    fn add(&self, number: usize, run: Option<Vec<T>>, room: usize) -> Option<()> {
        let mut assembly = self.0.lock().ok()?;
        let run = run?;
        if number == 0 {
            // Room is only asked for; without it the list grows as lists do.
            let _ = assembly.list.try_reserve_exact(room);
        }
        assembly.early.push((number, run));
        while let Some(at) = assembly.early.iter().position(|(number, _)| *number == assembly.next) {
            let (_, run) = assembly.early.swap_remove(at);
            assembly.list.extend(run);
            assembly.next += 1;
        }
        Some(())
    }

    /// The list, when every run was added.
    fn into_list(self) -> Option<Vec<T>> {
        let assembly = self.0.into_inner().ok()?;
        assembly.early.is_empty().then_some(assembly.list)
    }
}

#[derive(Default)]
struct LongLists {
    networks: ReadRuns<Network>,
    subnets: ReadRuns<Subnet>,
    machines: ReadRuns<Machine>,
    connections: ReadRuns<Connection>,
    network_mappings: ReadRuns<NetworkMapping>,
}

/// Gathers the elements the outline finds into runs, and hands each run to a core to read.
struct Runs<'run, 'scope> {
    scope: &'run rayon::Scope<'scope>,
    lists: &'scope LongLists,
    failed: &'scope AtomicBool,
    /// Runs handed over and not yet read.
    waiting: &'scope AtomicUsize,
    /// The run being gathered: where its elements lie in the current piece, all of one list.
    run: Vec<Range<usize>>,
    list: LongList,
    /// The number the next run of each list takes.
    numbers: [usize; LongList::ALL.len()],
    /// The length of the plan's text (a file's, as it was when opened).
    text_bytes: usize,
}

impl<'scope> Runs<'_, 'scope> {
    fn element<'text: 'scope>(&mut self, piece: &Piece<'text>, list: LongList, range: Range<usize>) {
        if list != self.list || self.run.len() == RUN_LENGTH {
            self.send(piece);
            self.list = list;
        }
        self.run.push(range);
    }

    /// Hands the run gathered so far to a core.
    fn send<'text: 'scope>(&mut self, piece: &Piece<'text>) {
        if self.run.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.run);
        let number = self.numbers[self.list.number()];
        self.numbers[self.list.number()] += 1;
        let lists = self.lists;
        match self.list {
            LongList::Networks => self.read_run(piece, run, number, &lists.networks),
            LongList::Subnets => self.read_run(piece, run, number, &lists.subnets),
            LongList::Machines => self.read_run(piece, run, number, &lists.machines),
            LongList::Connections => self.read_run(piece, run, number, &lists.connections),
            LongList::NetworkMappings => self.read_run(piece, run, number, &lists.network_mappings),
        }
    }

    fn read_run<'text: 'scope, T: DeserializeOwned + Send + 'scope>(
        &self,
        piece: &Piece<'text>,
        run: Vec<Range<usize>>,
        number: usize,
        into: &'scope ReadRuns<T>,
    ) {
        // A list holds at most as many elements as the text has room for elements the size of
        // its first run's.
        let text_bytes: usize = run.iter().map(|range| range.len()).sum();
        let room = if number == 0 { self.text_bytes / (text_bytes / run.len()).max(1) } else { 0 };
        let (piece, failed, waiting) = (piece.clone(), self.failed, self.waiting);
        waiting.fetch_add(1, Ordering::Relaxed);
        self.scope.spawn(move |_| {
            if !failed.load(Ordering::Relaxed) {
                let read: Option<Vec<T>> = run.into_iter().map(|range| read_object(std::str::from_utf8(&piece[range]).ok()?).ok()).collect();
                if into.add(number, read, room).is_none() {
                    failed.store(true, Ordering::Relaxed);
                }
            }
            drop(piece);
            waiting.fetch_sub(1, Ordering::Release);
        });
    }

    /// Reads waiting runs on this core too, until fewer than `most` wait.
    fn wait_below(&self, most: usize) {
        while self.waiting.load(Ordering::Acquire) >= most {
            if !matches!(rayon::yield_now(), Some(rayon::Yield::Executed)) {
                std::thread::yield_now();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serial(text: &str) -> Plan {
        let plan: Plan = read_object(text).expect("a plan the serial parse reads");
        plan
    }

    /// Piece sizes that cut the text everywhere: a byte (every token is carried into the next
    /// piece, which grows until it holds it), a few bytes, and pieces that hold many elements.
    const PIECES: [usize; 4] = [1, 7, 300, 64 * 1024];

    fn in_pieces(text: &str, piece_bytes: usize) -> Option<Plan> {
        read_plan_from(text.as_bytes(), text.len(), piece_bytes, text.len() as u64)
    }

    #[test]
    fn every_sample_reads_in_parallel_as_it_reads_serially() {
        let mut read = 0;
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).expect("samples") {
            let path = entry.expect("an entry").path();
            if !path.to_string_lossy().ends_with(".drplan.json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a sample");
            let parallel = read_plan(&text).unwrap_or_else(|| panic!("{} reads in parallel", path.display()));
            assert_eq!(parallel, serial(&text), "{}", path.display());
            for piece_bytes in PIECES {
                assert_eq!(in_pieces(&text, piece_bytes).as_ref(), Some(&parallel), "{} in pieces of {piece_bytes} bytes", path.display());
            }
            read += 1;
        }
        assert!(read >= 5, "only {read} samples");
    }

    #[test]
    fn a_generated_plan_in_compact_and_in_canonical_text_reads_as_it_reads_serially() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 2_000, seed: 7, faults: 0 }).plan;
        for text in [serde_json::to_string(&plan).expect("json"), super::super::to_canonical_json(&plan)] {
            let parallel = read_plan(&text).expect("reads in parallel");
            assert_eq!(parallel, serial(&text));
            assert_eq!(parallel, plan);
            for piece_bytes in PIECES {
                assert_eq!(in_pieces(&text, piece_bytes).as_ref(), Some(&plan), "in pieces of {piece_bytes} bytes");
            }
        }
    }

    #[test]
    fn what_the_careful_parse_must_place_is_left_to_it() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 200, seed: 3, faults: 0 }).plan;
        let text = serde_json::to_string(&plan).expect("json");
        let cases = [
            // A key written with an escape.
            text.replacen("\"subnets\"", "\"sub\\u006eets\"", 1),
            // A long list given twice.
            text.replacen("\"subnets\":", "\"subnets\":[],\"subnets\":", 1),
            // A long list that is not a list.
            text.replacen("\"subnets\":[", "\"subnets\":{\"a\":[", 1),
            // An element that does not read: an unknown field, then a struct written as a list.
            text.replacen("\"ip_allocation\"", "\"ip_alocation\"", 1),
            text.replacen("\"position\":{\"x\":0.0,\"y\":0.0}", "\"position\":[0.0,0.0]", 1),
            // A short field given twice, and an unknown one.
            text.replacen("\"name\":", "\"name\":\"twice\",\"name\":", 1),
            text.replacen("{", "{\"colour\":1,", 1),
            // Something after the plan.
            format!("{text} {{}}"),
            // Not an object.
            format!("[{text}]"),
            // The file ends early, in a list and in an element.
            text[..text.find("\"machines\"").expect("machines")].to_owned(),
            text[..text.len() / 2].to_owned(),
            // Elements without a comma between them, and a bracket out of place in one.
            text.replacen("},{\"id\":\"sub", "}{\"id\":\"sub", 1),
            text.replacen("\"allocation\":", "\"allocation\":]", 1),
        ];
        for (number, case) in cases.iter().enumerate() {
            assert_ne!(case, &text, "case {number} changed nothing");
            assert!(read_plan(case).is_none(), "case {number} read in parallel");
            for piece_bytes in PIECES {
                assert!(in_pieces(case, piece_bytes).is_none(), "case {number} read in pieces of {piece_bytes} bytes");
            }
        }
    }

    #[test]
    fn an_element_that_is_not_utf8_is_left_to_the_careful_read() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 50, seed: 3, faults: 0 }).plan;
        let bytes = serde_json::to_string(&plan).expect("json").into_bytes();
        let name = bytes.windows(7).position(|window| window == b"\"name\":").expect("a name") + 8;
        let subnets = bytes.windows(9).position(|window| window == b"\"subnets\"").expect("subnets");
        for at in [name, subnets + 20] {
            let mut broken = bytes.clone();
            broken[at] = 0xFF;
            for piece_bytes in PIECES {
                assert_eq!(read_plan_from(broken.as_slice(), broken.len(), piece_bytes, broken.len() as u64), None, "byte {at}, pieces of {piece_bytes}");
            }
        }
    }

    #[test]
    fn a_file_longer_than_the_limit_is_left_to_the_careful_read() {
        let plan = crate::synth::enterprise_plan(crate::synth::SynthSpec { prefixes: 50, seed: 3, faults: 0 }).plan;
        let text = serde_json::to_string(&plan).expect("json");
        let limit = text.len() as u64;
        assert_eq!(read_plan_from(text.as_bytes(), text.len(), 64, limit), Some(plan));
        let longer = format!("{text} ");
        assert_eq!(read_plan_from(longer.as_bytes(), text.len(), 64, limit), None, "a file that grew past the limit");
    }

    #[test]
    fn a_file_that_cannot_be_read_is_left_to_the_careful_read() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
        }
        assert_eq!(read_plan_from(Failing, 100, 64, 1000), None);
    }
}
