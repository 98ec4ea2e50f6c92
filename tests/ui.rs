//! Every mistake in a declaration or a handler's signature is one compile
//! error, at the offending token, saying how to fix it. The expected output
//! was recorded with the compiler pinned in rust-toolchain.toml; after a
//! compiler upgrade, review and re-record it with `TRYBUILD=overwrite`.

//!
//! trybuild compiles each case as a binary of a package without a build
//! script, so the cases are checked without the build manifest; the checks
//! across functions are tested on whole packages in packages.rs.

#[test]
fn declaration_mistakes_are_compile_errors() {
    // SAFETY: this is the only test of this binary, so no other thread reads
    // the environment; trybuild's cargo inherits the variable.
    unsafe { std::env::set_var("COGNITO_TRIGGER_SKIP_MANIFEST", "1") };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
