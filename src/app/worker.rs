//! Work the window hands to a thread of its own and takes back when it is done: a large plan's
//! validation, canvas, rehearsal, presented step and recovery copy, each of which would stop the
//! window for a tenth of a second or more.

use std::sync::mpsc::{Receiver, TryRecvError};

/// Work under way on a thread of its own.
pub struct Worker<T>(Receiver<T>);

/// What a worker has come to.
pub enum Polled<T> {
    Running,
    Done(T),
    /// The thread ended without a result (it panicked).
    Stopped,
}

impl<T: Send + 'static> Worker<T> {
    /// Runs `work` on a new thread. What `work` owns and drops before it returns is let go
    /// before its result is taken.
    pub fn start(work: impl FnOnce() -> T + Send + 'static) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = sender.send(work());
        });
        Self(receiver)
    }
}

impl<T> Worker<T> {
    /// The result, once the work is done.
    pub fn poll(&self) -> Polled<T> {
        match self.0.try_recv() {
            Ok(result) => Polled::Done(result),
            Err(TryRecvError::Empty) => Polled::Running,
            Err(TryRecvError::Disconnected) => Polled::Stopped,
        }
    }

    /// Waits for the result; None when the thread ended without one.
    pub fn wait(self) -> Option<T> {
        self.0.recv().ok()
    }
}

/// Drops `value` on a thread of its own: at 100k prefixes freeing a canvas takes 15 ms.
pub fn drop_elsewhere<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}
