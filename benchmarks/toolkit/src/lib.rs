//! Empty: this package exists so that `cargo tree -p cognito-trigger-bench-toolkit`
//! counts exactly the crates a cognito-trigger trigger depends on.
