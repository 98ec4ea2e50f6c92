//! Shows the local endpoint's tests what a function process sees: its answer
//! carries every environment variable and the process ID as ID token
//! claims, and it logs a line naming the user. A user named `sleep-<ms>` is
//! answered after that many milliseconds; with `INSPECT_INIT_MS` set, the
//! cold start takes that many milliseconds.

use cognito_trigger::events::PreTokenGenerationEvent;
use cognito_trigger::{BoxError, Error, Setup, cognito_trigger, tracing};
use std::time::Duration;

/// A cold start as slow as asked.
struct Init;

impl Setup for Init {
    async fn setup() -> Result<Self, BoxError> {
        if let Ok(ms) = std::env::var("INSPECT_INIT_MS") {
            std::thread::sleep(Duration::from_millis(ms.parse()?));
        }
        Ok(Init)
    }
}

#[cognito_trigger(pool = "BrokenPool", trigger = PreTokenGeneration)]
async fn inspect(
    mut event: PreTokenGenerationEvent,
    _init: &Init,
) -> Result<PreTokenGenerationEvent, Error> {
    tracing::info!(user = %event.user_name, "inspecting");
    if let Some(ms) = event.user_name.strip_prefix("sleep-") {
        let ms = ms
            .parse()
            .map_err(|e: std::num::ParseIntError| Error::internal(e.to_string()))?;
        // Holds the process, as a slow synchronous call would.
        std::thread::sleep(Duration::from_millis(ms));
    }
    for (name, value) in std::env::vars() {
        event.add_claim(name, value);
    }
    event.add_claim("pid", std::process::id().to_string());
    Ok(event)
}
