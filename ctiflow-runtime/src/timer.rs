//! The pluggable timer a run's time limit uses, so the runtime needs no particular executor.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

/// A boxed sleep future.
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Something that can sleep: implement it over your executor's timer (`tokio::time::sleep`),
/// or use [`ThreadTimer`], which works under any executor.
pub trait Timer: Send + Sync {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// A timer served by one background thread shared by the whole process, started on first use.
/// A sleep costs the thread nothing until it is polled, so blocks that finish at once (the
/// sandbox's) never touch it.
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadTimer;

struct Wakeup {
    at: Instant,
    waker: Waker,
}

impl PartialEq for Wakeup {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}
impl Eq for Wakeup {}
impl PartialOrd for Wakeup {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Wakeup {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.at.cmp(&other.at)
    }
}

fn wakeups() -> Option<&'static Sender<Wakeup>> {
    static SENDER: OnceLock<Option<Sender<Wakeup>>> = OnceLock::new();
    SENDER
        .get_or_init(|| {
            let (tx, rx) = mpsc::channel::<Wakeup>();
            std::thread::Builder::new()
                .name("ctiflow-timer".into())
                .spawn(move || {
                    let mut due = BinaryHeap::<Reverse<Wakeup>>::new();
                    loop {
                        let now = Instant::now();
                        while due.peek().is_some_and(|w| w.0.at <= now) {
                            if let Some(Reverse(w)) = due.pop() {
                                w.waker.wake();
                            }
                        }
                        let next = match due.peek() {
                            Some(w) => rx.recv_timeout(w.0.at.saturating_duration_since(now)),
                            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                        };
                        match next {
                            Ok(w) => due.push(Reverse(w)),
                            Err(RecvTimeoutError::Timeout) => {}
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                })
                .ok()
                .map(|_| tx)
        })
        .as_ref()
}

struct ThreadSleep {
    at: Instant,
}

impl Future for ThreadSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.at {
            return Poll::Ready(());
        }
        // Were the thread not startable, the limit would still be enforced between blocks.
        if let Some(tx) = wakeups() {
            let _ = tx.send(Wakeup {
                at: self.at,
                waker: cx.waker().clone(),
            });
        }
        Poll::Pending
    }
}

impl Timer for ThreadTimer {
    fn sleep(&self, duration: Duration) -> Sleep {
        let at = Instant::now()
            .checked_add(duration)
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365));
        Box::pin(ThreadSleep { at })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeps_end_under_a_plain_executor() {
        let start = Instant::now();
        pollster::block_on(ThreadTimer.sleep(Duration::from_millis(20)));
        assert!(start.elapsed() >= Duration::from_millis(20));
    }
}
