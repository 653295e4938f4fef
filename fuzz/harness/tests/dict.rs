//! `fuzz/dict/schemas.dict` is the schemas' current dictionary
//! (`PREFLIGHT_UPDATE_DICT=1` writes it).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;

#[test]
fn the_schemas_dictionary_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dict = root.join("fuzz/dict/schemas.dict");
    let generated = preflight_fuzz_harness::dict::generate(&root.join("schemas"));
    if std::env::var_os("PREFLIGHT_UPDATE_DICT").is_some() {
        std::fs::write(&dict, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&dict).unwrap_or_default();
    assert!(
        checked_in == generated,
        "{} is not the schemas' current dictionary: run `PREFLIGHT_UPDATE_DICT=1 cargo test -p preflight-fuzz-harness --test dict`",
        dict.display()
    );
    // Every line reads back as a JSON string.
    for line in generated.lines().filter(|l| !l.starts_with('#')) {
        let word = preflight_fuzz_harness::dict::entry(line).unwrap();
        assert!(serde_json::from_str::<String>(&word).is_ok(), "{line}");
    }
}
