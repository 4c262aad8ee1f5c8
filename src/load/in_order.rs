//! The parse stage's queue. Parsing threads take files in candidate order; the building thread
//! takes each file's result in that order and, when the next one is not ready yet, parses a file
//! itself instead of waiting.
//!
//! Why the builder parses too: the build is serial, so a run on `n` cores used to have `n`
//! parsing workers beside the building thread, `n + 1` busy threads on `n` cores, and the build
//! (the longest part of a large run) got two thirds of a core on two. Now `n - 1` threads parse
//! while the builder has its core to itself, and whenever it would wait it parses instead.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Files taken for parsing while the builder is at file `i` are below `i + window`: at most a
/// window of parsed files is held at once, whatever the run's size.
pub(super) struct InOrder<T> {
    state: Mutex<State<T>>,
    /// The builder waits here for the file it is at.
    for_builder: Condvar,
    /// Parsing threads wait here while they are a whole window ahead.
    for_parsers: Condvar,
    len: usize,
    window: usize,
}

struct State<T> {
    /// The first file no thread has taken.
    next: usize,
    /// The file the builder is at: every earlier one was handed to it.
    built: usize,
    /// Parsed files by index modulo the window.
    ready: Vec<Option<T>>,
    builder_waits: bool,
    parsers_waiting: usize,
    /// The builder stopped early: the parsing threads stop too instead of waiting for it.
    closed: bool,
}

impl<T> InOrder<T> {
    pub(super) fn new(len: usize, window: usize) -> Self {
        let window = window.min(len).max(1);
        Self {
            state: Mutex::new(State {
                next: 0,
                built: 0,
                ready: std::iter::repeat_with(|| None).take(window).collect(),
                builder_waits: false,
                parsers_waiting: 0,
                closed: false,
            }),
            for_builder: Condvar::new(),
            for_parsers: Condvar::new(),
            len,
            window,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A parsing thread's loop: parses files until every one is taken.
    pub(super) fn parse_all(&self, parse: impl Fn(usize) -> T) {
        loop {
            let mut state = self.lock();
            let index = loop {
                if state.closed || state.next >= self.len {
                    return;
                }
                if state.next < state.built + self.window {
                    break state.next;
                }
                state.parsers_waiting += 1;
                state = self.for_parsers.wait(state).unwrap_or_else(PoisonError::into_inner);
                state.parsers_waiting -= 1;
            };
            state.next += 1;
            drop(state);
            let parsed = parse(index);
            self.put(index, parsed);
        }
    }

    fn put(&self, index: usize, parsed: T) {
        let mut state = self.lock();
        state.ready[index % self.window] = Some(parsed);
        if index == state.built && state.builder_waits {
            self.for_builder.notify_one();
        }
    }

    /// The builder's next file, in candidate order (`None` after the last). While it is not
    /// parsed yet, this thread parses the first file nobody has taken, if the window allows one.
    pub(super) fn next_in_order(&self, parse: impl Fn(usize) -> T) -> Option<T> {
        let mut state = self.lock();
        let at = state.built;
        if at >= self.len {
            return None;
        }
        loop {
            if let Some(parsed) = state.ready[at % self.window].take() {
                state.built += 1;
                if state.parsers_waiting > 0 {
                    self.for_parsers.notify_all();
                }
                return Some(parsed);
            }
            if state.next < self.len && state.next < at + self.window {
                let index = state.next;
                state.next += 1;
                drop(state);
                let parsed = parse(index);
                state = self.lock();
                state.ready[index % self.window] = Some(parsed);
                continue;
            }
            state.builder_waits = true;
            state = self.for_builder.wait(state).unwrap_or_else(PoisonError::into_inner);
            state.builder_waits = false;
        }
    }

    /// Stops the parsing threads (the builder is done, or stopped by a panic).
    pub(super) fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        if state.parsers_waiting > 0 {
            self.for_parsers.notify_all();
        }
    }
}

/// Closes the queue when dropped.
pub(super) struct Closing<'q, T>(pub(super) &'q InOrder<T>);

impl<T> Drop for Closing<'_, T> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;

    #[test]
    fn the_builder_gets_every_file_in_order_whoever_parses_it() {
        for (len, window, parsers) in
            [(0, 4, 1), (1, 4, 1), (5, 1, 2), (100, 3, 1), (1000, 16, 3), (50, 64, 0)]
        {
            let queue = InOrder::new(len, window);
            let taken = std::sync::Mutex::new(Vec::new());
            let parse = |i: usize| {
                taken.lock().unwrap().push(i);
                i * 10
            };
            let got: Vec<usize> = std::thread::scope(|threads| {
                for _ in 0..parsers {
                    threads.spawn(|| queue.parse_all(parse));
                }
                let got = std::iter::from_fn(|| queue.next_in_order(parse)).collect();
                queue.close();
                got
            });
            assert_eq!(got, (0..len).map(|i| i * 10).collect::<Vec<_>>(), "{len} files, window {window}");
            let mut taken = taken.into_inner().unwrap();
            taken.sort_unstable();
            assert_eq!(taken, (0..len).collect::<Vec<_>>(), "each file parsed once");
        }
    }

    #[test]
    fn a_closed_queue_releases_parsers_waiting_for_the_window() {
        let queue = InOrder::new(100, 2);
        std::thread::scope(|threads| {
            let parser = threads.spawn(|| queue.parse_all(|i| i));
            assert_eq!(queue.next_in_order(|i| i), Some(0));
            // The builder stops here; the parser, two files ahead, must not wait for ever.
            queue.close();
            parser.join().unwrap();
        });
    }
}
