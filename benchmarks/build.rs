//! cognito-trigger's build step, which `#[cognito_trigger]` requires: it scans
//! the binaries and writes the deployment template of `toolkit_pre_sign_up`.

fn main() {
    cognito_trigger::build::run();
}
