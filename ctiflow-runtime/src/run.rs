//! Running a flow: limits, the step-by-step driver generated code calls, outcomes and traces.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use tracing::Level;

use crate::context::EventContext;
use crate::error::BlockError;
pub use crate::name::Name;
use crate::timer::{ThreadTimer, Timer};
use crate::value::Js;

/// How long and how far a run may go.
#[derive(Clone)]
pub struct Limits {
    /// The time limit: 60 s by default, the adapter's window.
    pub time: Duration,
    /// The most blocks one run executes: 10,000 by default, so cycles end.
    pub steps: usize,
    /// Whether to keep a trace of steps.
    pub trace: bool,
    /// The timer enforcing `time` while a block waits.
    pub timer: Arc<dyn Timer>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(60),
            steps: 10_000,
            trace: true,
            timer: Arc::new(ThreadTimer),
        }
    }
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits")
            .field("time", &self.time)
            .field("steps", &self.steps)
            .field("trace", &self.trace)
            .finish_non_exhaustive()
    }
}

impl Limits {
    /// These limits with a time limit of `time`.
    pub fn with_time(self, time: Duration) -> Limits {
        Limits { time, ..self }
    }

    /// These limits with a step limit of `steps`.
    pub fn with_steps(self, steps: usize) -> Limits {
        Limits { steps, ..self }
    }

    /// These limits with `timer`.
    pub fn with_timer(self, timer: Arc<dyn Timer>) -> Limits {
        Limits { timer, ..self }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// At an End block, or through an unconnected port other than `failure`.
    Completed {
        /// The last block.
        block: Name,
    },
    /// Through an unconnected `failure` port, or a block without one that failed.
    Failed {
        /// The block that failed.
        block: Name,
        /// Why.
        error: BlockError,
    },
    /// The time limit passed while this block was running or about to run.
    TimedOut {
        /// The block.
        block: Name,
    },
    /// The step limit was reached before this block.
    StepLimit {
        /// The block that would have run next.
        block: Name,
        /// The limit.
        steps: usize,
    },
}

impl Outcome {
    /// The block the run ended at.
    pub fn block(&self) -> &str {
        match self {
            Outcome::Completed { block }
            | Outcome::Failed { block, .. }
            | Outcome::TimedOut { block }
            | Outcome::StepLimit { block, .. } => block,
        }
    }
}

/// How people read an outcome: `completed at `end``, `failed at `task`: <why>`, `timed out at
/// `search``, `stopped before `loop` by the limit of 100 steps`.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Completed { block } => write!(f, "completed at `{block}`"),
            Outcome::Failed { block, error } => write!(f, "failed at `{block}`: {error}"),
            Outcome::TimedOut { block } => write!(f, "timed out at `{block}`"),
            Outcome::StepLimit { block, steps } => {
                write!(f, "stopped before `{block}` by the limit of {steps} steps")
            }
        }
    }
}

/// A block as generated code or the interpreter describes it to the driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockInfo {
    /// Its id in the flow.
    pub id: Name,
    /// Its type id.
    pub type_id: Name,
    /// Its title on the canvas.
    pub title: Option<Name>,
}

impl BlockInfo {
    /// A compiled block: its id, type and title are in the program.
    pub const fn new(id: &'static str, type_id: &'static str, title: Option<&'static str>) -> Self {
        BlockInfo {
            id: Name::from_static(id),
            type_id: Name::from_static(type_id),
            title: match title {
                Some(title) => Some(Name::from_static(title)),
                None => None,
            },
        }
    }
}

/// Where a block leaves to: the next state of the flow (`S`, generated per flow), or the end
/// of the run.
#[derive(Debug)]
pub enum Exit<S> {
    /// On to the block of this state.
    Next(S),
    /// The run ends here.
    End(End),
}

/// How a run ends at a block.
#[derive(Debug)]
pub enum End {
    /// It completed at this block (an End block, or an unconnected port other than `failure`).
    Complete(Name),
    /// The block failed and no `failure` port leads on.
    Fail(Name, BlockError),
    /// A limit stopped it at this block ([`Stepped::Stop`]).
    Stop(Name),
}

/// One block's step as generated code runs it: a boxed future, so the run loop is the same
/// small loop whatever the size of the flow, and each block's code is its own small function.
pub type BoxStep<'a, S> = Pin<Box<dyn Future<Output = Exit<S>> + Send + 'a>>;

/// The next block of a run: its step function, which runs it within the [`Frame`] and says
/// where the run goes next. Generated code names no states: a state is the step to run.
pub struct Next<'c, 'l, R: ?Sized, F>(pub StepFn<'c, 'l, R, F>);

/// Where a block's ports lead (`None`: the port is not connected).
#[derive(Debug)]
pub enum Ports<S> {
    /// A plain block's `done`.
    Done(Option<S>),
    /// A call's `success` and `failure`; an unconnected `failure` fails the run there.
    Call(Option<S>, Option<S>),
    /// No ports (End): the run completes.
    End,
}

/// The step `step`, as where a port leads: what generated code writes for a connected port.
pub fn to<'c, 'l, R: ?Sized, F>(step: StepFn<'c, 'l, R, F>) -> Option<Next<'c, 'l, R, F>> {
    Some(Next(step))
}

/// A block's step function.
pub type StepFn<'c, 'l, R, F> =
    for<'a> fn(&'a mut Frame<'c, 'l, R, F>) -> BoxStep<'a, Next<'c, 'l, R, F>>;

impl<R: ?Sized, F> fmt::Debug for Next<'_, '_, R, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Next")
    }
}

impl<'c, 'l, R: ?Sized, F> Frame<'c, 'l, R, F> {
    /// Runs the flow from `start` to its end.
    pub async fn run(mut self, start: StepFn<'c, 'l, R, F>) -> Run<F> {
        let mut step = start;
        loop {
            match step(&mut self).await {
                Exit::Next(Next(next)) => step = next,
                Exit::End(end) => return self.end(end),
            }
        }
    }
}

/// What a run works on: the backend, the event, the results recorded so far (`F`, the flow's
/// `Results`, one slot per block written once when it succeeds) and the driver.
pub struct Frame<'c, 'l, R: ?Sized, F> {
    /// The backend.
    pub rt: &'c R,
    /// The event.
    pub ctx: &'c EventContext,
    /// The results so far, on the heap: a flow's futures stay small however many blocks it has.
    pub results: Box<F>,
    /// Limits, steps and trace.
    pub driver: Driver<'l>,
}

impl<'c, 'l, R: ?Sized, F> Frame<'c, 'l, R, F> {
    /// A run of `rt` for `ctx` within `limits`, starting now with `results`.
    pub fn new(rt: &'c R, ctx: &'c EventContext, limits: &'l Limits, results: F) -> Self {
        Frame {
            rt,
            ctx,
            results: Box::new(results),
            driver: Driver::new(limits),
        }
    }

    /// The finished run.
    pub fn end(self, end: End) -> Run<F> {
        self.driver.end(end, *self.results)
    }
}

/// One executed block: what the adapter's `[CTI ADAPTER]: [FLOW]` console log shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    /// The block id.
    pub block: Name,
    /// Its type id.
    pub type_id: Name,
    /// Its title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Name>,
    /// The port it took; `None` when the run ended there without taking one.
    pub port: Option<&'static str>,
    /// Its result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// Its failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<BlockError>,
    /// How long it ran, in microseconds.
    pub micros: u64,
}

/// A finished run: how it ended, the results of the blocks that ran, and the trace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run<R> {
    /// How it ended.
    pub outcome: Outcome,
    /// One field per block with results, `Some` for those that produced them.
    pub results: R,
    /// The steps, in order (empty when [`Limits::trace`] is off).
    pub trace: Vec<Step>,
}

impl<R: Js> Run<R> {
    /// The run with its results as JSON, for code that handles many flows (the registry).
    pub fn erase(self) -> Run<Value> {
        Run {
            outcome: self.outcome,
            results: self.results.js().unwrap_or(Value::Null),
            trace: self.trace,
        }
    }
}

/// What a step gave generated code.
#[derive(Debug)]
pub enum Stepped<T> {
    /// The block succeeded.
    Ok(T),
    /// The block failed.
    Err(BlockError),
    /// A limit ended the run ([`Driver::go`] and [`Driver::branch`] end it there).
    Stop,
}

/// Drives one run: counts steps, enforces the time limit, keeps the trace and emits `tracing`
/// events. Generated code calls it around every block.
pub struct Driver<'l> {
    limits: &'l Limits,
    deadline: Option<Instant>,
    steps: usize,
    trace: Vec<Step>,
    /// The step that ran last, until the port it takes is known.
    last: Option<Step>,
    stopped: Option<Outcome>,
}

impl<'l> Driver<'l> {
    /// A run under `limits`, starting now.
    pub fn new(limits: &'l Limits) -> Driver<'l> {
        Driver {
            limits,
            deadline: Instant::now().checked_add(limits.time),
            steps: 0,
            trace: Vec::new(),
            last: None,
            stopped: None,
        }
    }

    /// Runs one block's `body` within the limits. The body is taken as a trait object, so
    /// this code exists once per result type, not once per block of every flow.
    pub async fn step<T: Js>(
        &mut self,
        block: &BlockInfo,
        mut body: Pin<&mut (dyn Future<Output = Result<T, BlockError>> + Send + '_)>,
    ) -> Stepped<T> {
        if self.steps >= self.limits.steps {
            self.stopped = Some(Outcome::StepLimit {
                block: block.id.clone(),
                steps: self.limits.steps,
            });
            return Stepped::Stop;
        }
        self.steps += 1;
        let started = Instant::now();
        let remaining = self.deadline.map(|d| d.saturating_duration_since(started));
        if remaining == Some(Duration::ZERO) {
            self.stopped = Some(Outcome::TimedOut {
                block: block.id.clone(),
            });
            return Stepped::Stop;
        }
        let mut sleep = remaining.map(|r| self.limits.timer.sleep(r));
        let outcome = poll_fn(|cx| {
            if let Poll::Ready(out) = body.as_mut().poll(cx) {
                return Poll::Ready(Some(out));
            }
            match sleep.as_mut().map(|s| s.as_mut().poll(cx)) {
                Some(Poll::Ready(())) => Poll::Ready(None),
                _ => Poll::Pending,
            }
        })
        .await;
        let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        // The result is converted only for someone who reads it: the trace or a subscriber.
        let wanted = self.limits.trace || tracing::enabled!(target: "ctiflow", Level::DEBUG);
        let (result, error) = match &outcome {
            Some(Ok(value)) if wanted => (value.js(), None),
            Some(Err(e)) => (None, Some(e.clone())),
            _ => (None, None),
        };
        self.last = Some(Step {
            block: block.id.clone(),
            type_id: block.type_id.clone(),
            title: block.title.clone(),
            port: None,
            result,
            error,
            micros,
        });
        match outcome {
            Some(Ok(value)) => Stepped::Ok(value),
            Some(Err(e)) => Stepped::Err(e),
            None => {
                self.stopped = Some(Outcome::TimedOut {
                    block: block.id.clone(),
                });
                Stepped::Stop
            }
        }
    }

    /// Leaves the last block through `port` to the state `next`.
    fn next<S>(&mut self, port: &'static str, next: S) -> Exit<S> {
        self.took(port);
        Exit::Next(next)
    }

    /// Leaves `block` through `port`, which is not connected: the run completes there.
    fn leave<S>(&mut self, block: &BlockInfo, port: &'static str) -> Exit<S> {
        self.took(port);
        Exit::End(End::Complete(block.id.clone()))
    }

    /// Leaves `block` through its `failure` port, which is not connected: the run fails there.
    fn fail_through<S>(&mut self, block: &BlockInfo, error: BlockError) -> Exit<S> {
        self.took("failure");
        Exit::End(End::Fail(block.id.clone(), error))
    }

    /// Leaves `block` after its step: a result goes into its `slot` (the block's field of the
    /// flow's `Results`) and the run takes `done` or `success`; a failure takes `failure`
    /// where the block has that port, and otherwise ends the run, as a limit does.
    pub fn go<T, S>(
        &mut self,
        block: &BlockInfo,
        stepped: Stepped<T>,
        slot: &mut Option<T>,
        ports: Ports<S>,
    ) -> Exit<S> {
        match (stepped, ports) {
            (Stepped::Ok(value), ports) => {
                *slot = Some(value);
                match ports {
                    Ports::Done(next) => self.port(block, "done", next),
                    Ports::Call(next, _) => self.port(block, "success", next),
                    Ports::End => Exit::End(End::Complete(block.id.clone())),
                }
            }
            (Stepped::Err(_), Ports::Call(_, Some(next))) => self.next("failure", next),
            (Stepped::Err(error), Ports::Call(_, None)) => self.fail_through(block, error),
            (Stepped::Err(error), _) => Exit::End(End::Fail(block.id.clone(), error)),
            (Stepped::Stop, _) => Exit::End(End::Stop(block.id.clone())),
        }
    }

    /// Leaves a decision (If-else, Is Truthy?) after its step: through `true` or `false`.
    pub fn branch<S>(
        &mut self,
        block: &BlockInfo,
        stepped: Stepped<bool>,
        slot: &mut Option<bool>,
        on_true: Option<S>,
        on_false: Option<S>,
    ) -> Exit<S> {
        match stepped {
            Stepped::Ok(value) => {
                *slot = Some(value);
                if value {
                    self.port(block, "true", on_true)
                } else {
                    self.port(block, "false", on_false)
                }
            }
            Stepped::Err(error) => Exit::End(End::Fail(block.id.clone(), error)),
            Stepped::Stop => Exit::End(End::Stop(block.id.clone())),
        }
    }

    /// Leaves `block` through `port`: to `next`, or, unconnected, out of a completed run.
    fn port<S>(&mut self, block: &BlockInfo, port: &'static str, next: Option<S>) -> Exit<S> {
        match next {
            Some(next) => self.next(port, next),
            None => self.leave(block, port),
        }
    }

    /// Records the port the last block took.
    fn took(&mut self, port: &'static str) {
        if let Some(step) = &mut self.last {
            step.port = Some(port);
        }
        self.record();
    }

    /// Emits the last step as a `tracing` event (block, type, title, port, result as JSON,
    /// error, duration), so a log alone tells what the run did, and keeps it in the trace.
    fn record(&mut self) {
        let Some(step) = self.last.take() else { return };
        tracing::debug!(
            target: "ctiflow",
            block = step.block.as_str(),
            type_id = step.type_id.as_str(),
            title = step.title.as_deref(),
            port = step.port,
            result = step.result.as_ref().map(tracing::field::display),
            error = step.error.as_ref().map(|e| e.message.as_str()),
            micros = step.micros,
            "step"
        );
        if self.limits.trace {
            self.trace.push(step);
        }
    }

    /// The finished run, ended as `end` says, with `results`.
    pub fn end<R>(self, end: End, results: R) -> Run<R> {
        match end {
            End::Complete(block) => self.complete(block, results),
            End::Fail(block, error) => self.fail(block, error, results),
            End::Stop(block) => self.stopped(block, results),
        }
    }

    fn finish<R>(mut self, outcome: Outcome, results: R) -> Run<R> {
        self.record();
        tracing::info!(target: "ctiflow", outcome = ?outcome, "run ended");
        Run {
            outcome,
            results,
            trace: self.trace,
        }
    }

    /// The run completed at `block`.
    fn complete<R>(self, block: Name, results: R) -> Run<R> {
        self.finish(Outcome::Completed { block }, results)
    }

    /// The run failed at `block`.
    fn fail<R>(self, block: Name, error: BlockError, results: R) -> Run<R> {
        self.finish(Outcome::Failed { block, error }, results)
    }

    /// The run ended at a limit ([`Stepped::Stop`]).
    fn stopped<R>(mut self, block: Name, results: R) -> Run<R> {
        let outcome = self.stopped.take().unwrap_or(Outcome::TimedOut { block });
        self.finish(outcome, results)
    }
}
