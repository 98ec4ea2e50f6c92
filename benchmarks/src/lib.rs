//! The event path of one invocation (deserialize, handler, serialize), the
//! same trigger logic written three ways, for `benches/event_path.rs`:
//!
//! - [`toolkit`]: cognito-trigger's lossless events, decoded as the generated
//!   entrypoint (`runtime/src/entry.rs`) decodes them;
//! - [`baseline`]: a hand-written `lambda_runtime` handler on
//!   `aws_lambda_events` types, decoded as `lambda_runtime` decodes them;
//! - [`value`]: `serde_json::Value` pass-through, the floor for a typed path.
//!
//! Each of those has one function per trigger in [`events::TRIGGERS`], named
//! after it, taking the event's bytes and returning the response's bytes.
//!
//! [`build_step`] writes the generated packages of the build-step figures
//! (`benches/build_step.rs`, `run.sh build`).

pub mod baseline;
pub mod build_step;
pub mod events;
pub mod toolkit;
pub mod value;
