//! Empty: this package exists so that `cargo tree -p cognito-trigger-bench-baseline`
//! counts exactly the crates a hand-written Cognito trigger depends on.
