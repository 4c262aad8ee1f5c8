//! Locks shared by the run's worker threads.
//!
//! Every shared map in sagelint is changed by single calls (one insert, one append, one clear),
//! so a worker that panicked while holding a lock (its file is then reported as an internal
//! error, see `load_isolated`) left contents that are each whole. The other workers go on using
//! them instead of panicking in turn.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(PoisonError::into_inner)
}
