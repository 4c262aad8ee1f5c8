//! The parse stage's queue. Parsing threads take files in candidate order; the building thread
//! takes each file's result in that order and, when the next one is not ready yet, parses a file
//! itself instead of waiting.
//!
//! Why the builder parses too: the build is serial, so a run on `n` cores used to have `n`
//! parsing workers beside the building thread, `n + 1` busy threads on `n` cores, and the build
//! (the longest part of a large run) got two thirds of a core on two. Now `n - 1` threads parse
//! while the builder has its core to itself, and whenever it would wait it parses instead.
//!
//! What the builder is done with (a file's syntax tree) goes back to the thread that parsed it,
//! which frees it before its next file: memory freed by the thread that allocated it is reused
//! at once, where a free from another thread goes through the allocator's cross-thread lists
//! (at 10,000 stacks those were 8% of the run's CPU time).

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// Files taken for parsing while the builder is at file `i` are below `i + window`: at most a
/// window of parsed files is held at once, whatever the run's size.
pub(super) struct InOrder<T, G> {
    state: Mutex<State<T, G>>,
    /// The builder waits here for the file it is at.
    for_builder: Condvar,
    /// Parsing threads wait here while they are a whole window ahead.
    for_parsers: Condvar,
    len: usize,
    window: usize,
}

/// Who parsed a file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ParsedBy {
    Builder,
    /// The parsing thread of that number (`0..parsers`).
    Parser(usize),
}

struct State<T, G> {
    /// The first file no thread has taken.
    next: usize,
    /// The file the builder is at: every earlier one was handed to it.
    built: usize,
    /// Parsed files by index modulo the window.
    ready: Vec<Option<(T, ParsedBy)>>,
    /// What the builder gave back, by the parsing thread that made it.
    garbage: Vec<Vec<G>>,
    builder_waits: bool,
    parsers_waiting: usize,
    /// The builder stopped early: the parsing threads stop too instead of waiting for it.
    closed: bool,
    /// Files a parsing thread took and never put, its `parse` having unwound: the builder parses
    /// them itself when it reaches them.
    abandoned: Vec<usize>,
}

impl<T, G> InOrder<T, G> {
    pub(super) fn new(len: usize, window: usize, parsers: usize) -> Self {
        let window = window.min(len).max(1);
        Self {
            state: Mutex::new(State {
                next: 0,
                built: 0,
                ready: std::iter::repeat_with(|| None).take(window).collect(),
                garbage: std::iter::repeat_with(Vec::new).take(parsers).collect(),
                builder_waits: false,
                parsers_waiting: 0,
                closed: false,
                abandoned: Vec::new(),
            }),
            for_builder: Condvar::new(),
            for_parsers: Condvar::new(),
            len,
            window,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<T, G>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Parsing thread `me`'s loop: parses files until every one is taken, freeing what the
    /// builder gives back of its files as it goes. The run's `parse` catches each file's panic
    /// (`load::load_isolated`); should it unwind all the same, the file it was at is left to the
    /// builder and the panic goes on up this thread, so the builder never waits for it.
    pub(super) fn parse_all(&self, me: usize, parse: impl Fn(usize) -> T) {
        loop {
            let mut state = self.lock();
            let garbage = std::mem::take(&mut state.garbage[me]);
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
            drop(garbage);
            let mut taken = Taken { queue: self, index, put: false };
            let parsed = parse(index);
            self.put(index, (parsed, ParsedBy::Parser(me)));
            taken.put = true;
        }
    }

    fn put(&self, index: usize, parsed: (T, ParsedBy)) {
        let mut state = self.lock();
        state.ready[index % self.window] = Some(parsed);
        if index == state.built && state.builder_waits {
            self.for_builder.notify_one();
        }
    }

    /// The builder's next file, in candidate order (`None` after the last). While it is not
    /// parsed yet, this thread parses the first file nobody has taken, if the window allows one.
    pub(super) fn next_in_order(&self, parse: impl Fn(usize) -> T) -> Option<(T, ParsedBy)> {
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
            // The file a parsing thread was at when its parse unwound, or the first untaken one.
            let abandoned = state.abandoned.iter().position(|&i| i == at);
            if abandoned.is_some() || state.next < self.len && state.next < at + self.window {
                let index = if let Some(position) = abandoned {
                    state.abandoned.swap_remove(position)
                } else {
                    state.next += 1;
                    state.next - 1
                };
                drop(state);
                let parsed = parse(index);
                state = self.lock();
                state.ready[index % self.window] = Some((parsed, ParsedBy::Builder));
                continue;
            }
            state.builder_waits = true;
            state = self.for_builder.wait(state).unwrap_or_else(PoisonError::into_inner);
            state.builder_waits = false;
        }
    }

    /// Gives `garbage`, made by parsing thread `by`, back to it to free.
    pub(super) fn give_back(&self, by: usize, garbage: G) {
        self.lock().garbage[by].push(garbage);
    }

    /// Stops the parsing threads (the builder is done, or stopped by a panic).
    pub(super) fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        if state.parsers_waiting > 0 {
            self.for_parsers.notify_all();
        }
    }

    /// What was given back and not freed yet (a parsing thread stops once every file is taken).
    pub(super) fn leftovers(self) -> Vec<Vec<G>> {
        self.state.into_inner().unwrap_or_else(PoisonError::into_inner).garbage
    }
}

/// A file a parsing thread took: left to the builder when dropped before it was put (the
/// thread's `parse` unwound).
struct Taken<'q, T, G> {
    queue: &'q InOrder<T, G>,
    index: usize,
    put: bool,
}

impl<T, G> Drop for Taken<'_, T, G> {
    fn drop(&mut self) {
        if self.put {
            return;
        }
        let mut state = self.queue.lock();
        state.abandoned.push(self.index);
        if state.builder_waits {
            self.queue.for_builder.notify_one();
        }
    }
}

/// Closes the queue when dropped.
pub(super) struct Closing<'q, T, G>(pub(super) &'q InOrder<T, G>);

impl<T, G> Drop for Closing<'_, T, G> {
    fn drop(&mut self) {
        self.0.close();
    }
}

#[cfg(test)]
mod tests {
    use super::{InOrder, ParsedBy};

    #[test]
    fn the_builder_gets_every_file_in_order_whoever_parses_it() {
        for (len, window, parsers) in
            [(0, 4, 1), (1, 4, 1), (5, 1, 2), (100, 3, 1), (1000, 16, 3), (50, 64, 0)]
        {
            let queue = InOrder::new(len, window, parsers);
            let taken = std::sync::Mutex::new(Vec::new());
            let parse = |i: usize| {
                taken.lock().unwrap().push(i);
                i * 10
            };
            let got: Vec<(usize, ParsedBy)> = std::thread::scope(|threads| {
                for me in 0..parsers {
                    let queue = &queue;
                    threads.spawn(move || queue.parse_all(me, parse));
                }
                let got: Vec<_> = std::iter::from_fn(|| queue.next_in_order(parse)).collect();
                for &(value, by) in &got {
                    if let ParsedBy::Parser(by) = by {
                        queue.give_back(by, value);
                    }
                }
                queue.close();
                got
            });
            let values: Vec<usize> = got.iter().map(|&(v, _)| v).collect();
            assert_eq!(values, (0..len).map(|i| i * 10).collect::<Vec<_>>(), "{len} files, window {window}");
            let mut taken = taken.into_inner().unwrap();
            taken.sort_unstable();
            assert_eq!(taken, (0..len).collect::<Vec<_>>(), "each file parsed once");
            if parsers == 0 {
                assert!(got.iter().all(|&(_, by)| by == ParsedBy::Builder));
            }
            // Whatever went back and was not freed by its parser is handed over at the end.
            let given_back = got.iter().filter(|(_, by)| *by != ParsedBy::Builder).count();
            assert!(queue.leftovers().iter().map(Vec::len).sum::<usize>() <= given_back);
        }
    }

    #[test]
    fn a_parser_frees_what_it_made_before_its_next_file() {
        let queue: InOrder<usize, Box<usize>> = InOrder::new(3, 8, 1);
        queue.give_back(0, Box::new(7));
        // The parser takes what was given back when it takes a file, and frees it.
        std::thread::scope(|threads| {
            threads.spawn(|| queue.parse_all(0, |i| i));
        });
        assert!(queue.leftovers()[0].is_empty());
    }

    #[test]
    fn a_file_whose_parse_unwound_on_a_parser_is_parsed_by_the_builder() {
        let queue: InOrder<usize, ()> = InOrder::new(20, 4, 1);
        let (taken_tx, taken_rx) = std::sync::mpsc::channel();
        let (got, parser) = std::thread::scope(|threads| {
            let queue = &queue;
            let parser = threads.spawn(move || {
                queue.parse_all(0, |i| {
                    taken_tx.send(i).expect("the builder listens");
                    panic!("the parser's parse unwinds at its first file");
                });
            });
            // The builder starts once the parser has taken its file.
            let taken = taken_rx.recv().expect("the parser takes a file");
            let got: Vec<(usize, ParsedBy)> = std::iter::from_fn(|| queue.next_in_order(|i| i)).collect();
            queue.close();
            assert_eq!(got[taken].1, ParsedBy::Builder, "the file the parser was at is left to the builder");
            (got, parser.join())
        });
        assert_eq!(got.iter().map(|&(v, _)| v).collect::<Vec<_>>(), (0..20).collect::<Vec<_>>());
        assert!(parser.is_err(), "the panic goes on up the parsing thread");
    }

    #[test]
    fn a_closed_queue_releases_parsers_waiting_for_the_window() {
        let queue: InOrder<usize, ()> = InOrder::new(100, 2, 1);
        std::thread::scope(|threads| {
            let parser = threads.spawn(|| queue.parse_all(0, |i| i));
            assert_eq!(queue.next_in_order(|i| i).map(|(v, _)| v), Some(0));
            // The builder stops here; the parser, two files ahead, must not wait for ever.
            queue.close();
            parser.join().unwrap();
        });
    }
}
