//! Every mistake in a declaration or a handler's signature is one compile
//! error, at the offending token, saying how to fix it. The expected output
//! was recorded with the compiler pinned in rust-toolchain.toml; after a
//! compiler upgrade, review and re-record it with `TRYBUILD=overwrite`.

#[test]
fn declaration_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
