//! The Lambda invoke API on 127.0.0.1 for a package's trigger binaries, with
//! real Lambda's semantics, so a Cognito emulator such as cognito-local can
//! call them as AWS Cognito calls deployed triggers:
//!
//! - `POST /2015-03-31/functions/<name>/invocations` answers 200 with the
//!   function's response, `X-Amz-Executed-Version: $LATEST`, and with
//!   `X-Amz-Log-Type: Tail`, the last 4 KB of the invocation's log in
//!   `X-Amz-Log-Result`;
//! - each function runs in as many processes as it has concurrent requests,
//!   up to a maximum (10 by default), beyond which a request is answered 429
//!   `TooManyRequestsException`; idle processes are reused, and stopped after
//!   an idle while;
//! - `X-Amz-Invocation-Type: Event` answers 202 and runs the function in the
//!   background (a function error is retried twice, after 1 and 2 seconds);
//!   `DryRun` answers 204 and runs nothing;
//! - a body that is not JSON: 400 `InvalidRequestContentException`; over
//!   6 MB (1 MB for `Event`): 413 `RequestTooLargeException`;
//! - a handler error or panic: 200 with `X-Amz-Function-Error: Unhandled` and
//!   the `{errorType, errorMessage}` document (`cargo lambda watch` answers a
//!   bare 500, which an emulator shows as the wrong error);
//! - past the function's timeout (5 s for Cognito), `Sandbox.Timedout`, and
//!   the process is killed; a process that exits is `Runtime.ExitError`, and
//!   is started again for the next invocation;
//! - an unknown function: 404 `ResourceNotFoundException`.
//!
//! Functions answer to their template logical ID (`PreSignUpLambdaFunction`)
//! and to their binary's name (`pre_sign_up`). Each process gets the
//! environment the template gives the function, the variables Lambda sets,
//! and this process's `AWS_*` variables (to point SDKs at local emulators).

mod api;
mod kms;
mod package;
mod pool;
mod server;

pub use kms::LocalKms;
pub use package::{
    Function, Package, build, cognito_local_config, functions, functions_in, local_region,
    package_of,
};
pub use server::{EnvOverride, Options, Record, Server};
