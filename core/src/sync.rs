//! One policy for poisoned locks, for every crate of the toolkit: the guard
//! is recovered, never unwrapped.
//!
//! A lock is poisoned when a thread panicked while holding it. The data the
//! toolkit's locks guard (a logger's output, a process pool's counts and
//! idle processes, a capture of log lines, a pending event) is changed in
//! single steps that a panic cannot leave half done, so it stays
//! consistent; panicking on the poison would only turn one failure (a
//! handler's panic, a test's) into many, and a log line or a served
//! invocation must never take the process down.
//!
//! ```
//! use cognito_trigger_core::sync::Recover;
//! use std::sync::Mutex;
//!
//! let count = Mutex::new(0);
//! let _ = std::thread::scope(|scope| {
//!     scope.spawn(|| {
//!         let _guard = count.lock().recover();
//!         panic!("poisons the lock");
//!     }).join()
//! });
//! assert!(count.is_poisoned());
//! *count.lock().recover() += 1;
//! assert_eq!(*count.lock().recover(), 1);
//! ```

use std::sync::{LockResult, PoisonError};

/// The guard (or a condition variable's `(guard, result)`) of a
/// [`LockResult`], whether or not the lock is poisoned: see the
/// [module](self) for why.
pub trait Recover<T> {
    /// What the lock guards, recovered from a poisoned lock.
    fn recover(self) -> T;
}

impl<T> Recover<T> for LockResult<T> {
    fn recover(self) -> T {
        self.unwrap_or_else(PoisonError::into_inner)
    }
}
