//! Compile-time guarantees of the generated types (trybuild): a request
//! without a required field does not compile, and a `ref_id` cannot be made
//! from an unchecked string. The expected compiler output is in
//! `tests/trybuild/*.stderr`.

#[test]
fn compile_fail() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail(concat!(env!("CARGO_MANIFEST_DIR"), "/trybuild/*.rs"));
}
