//! The Lambda invoke API on 127.0.0.1 for a package's trigger binaries, with
//! real Lambda's semantics, so a Cognito emulator such as cognito-local can
//! call them as AWS Cognito calls deployed triggers:
//!
//! - `POST /2015-03-31/functions/<name>/invocations` answers 200 with the
//!   function's response;
//! - a handler error or panic: 200 with `X-Amz-Function-Error: Unhandled` and
//!   the `{errorType, errorMessage}` document (`cargo lambda watch` answers a
//!   bare 500, which an emulator shows as the wrong error);
//! - past the function's timeout (5 s for Cognito), `Sandbox.Timedout`, and
//!   the process is killed; a process that exits is `Runtime.ExitError`, and
//!   is started again for the next invocation;
//! - an unknown function: 404 `ResourceNotFoundException`.
//!
//! Functions answer to their template logical ID (`PreSignUpLambdaFunction`)
//! and to their binary's name (`pre_sign_up`).

pub mod emulator;
mod package;
mod server;

pub use package::{Function, build, cognito_local_config, functions, functions_in, template_of};
pub use server::{Record, Server};
