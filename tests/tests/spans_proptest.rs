//! Every span `validate` returns lies inside the input and on character
//! boundaries, whatever the bytes: a caller may slice the text with it. Line
//! and column agree with the span.
//!
//! Inputs: arbitrary bytes; text made of JSON tokens and multi-byte
//! characters (the U+00AD case fuzzing found: `"\xc2\xad` gave `2..2`); and
//! the shipped examples with bytes inserted, deleted or replaced.

#![allow(clippy::unwrap_used, reason = "tests")]

use proptest::prelude::*;
use std::path::Path;

fn endpoints() -> Vec<&'static str> {
    preflight::endpoints()
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect()
}

/// The text the spans index: the longest valid UTF-8 prefix.
fn text_of(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap(),
    }
}

fn check_spans(endpoint: &str, bytes: &[u8]) {
    let report = preflight::validate(endpoint, bytes).unwrap();
    let text = text_of(bytes);
    for d in &report.diagnostics {
        let Some(span) = d.span.clone() else { continue };
        assert!(
            span.start <= span.end && span.end <= bytes.len(),
            "{endpoint}: span {span:?} outside {} bytes for {d:?}",
            bytes.len()
        );
        assert!(
            span.end <= text.len() || span.start == span.end,
            "{endpoint}: span {span:?} past the text ({} bytes) for {d:?}",
            text.len()
        );
        if span.end <= text.len() {
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{endpoint}: span {span:?} splits a character of {:?} for {d:?}",
                String::from_utf8_lossy(bytes)
            );
            // Slicing by the span never panics, and the position agrees.
            let _ = &text[span.clone()];
            if let Some(start) = d.start {
                // A byte-order mark is not a column: positions count from after it.
                let bom = if text.starts_with('\u{feff}') && span.start >= 3 {
                    3
                } else {
                    0
                };
                let before = &text[bom..span.start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                assert_eq!(
                    (start.line, start.column),
                    (line, column),
                    "{endpoint}: {d:?}"
                );
            }
        }
    }
}

fn examples() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut out = Vec::new();
    for provider in std::fs::read_dir(&root).unwrap() {
        let provider = provider.unwrap().path();
        for endpoint in std::fs::read_dir(&provider).unwrap() {
            let endpoint = endpoint.unwrap().path();
            if !endpoint.is_dir() {
                continue;
            }
            let id = format!(
                "{}/{}",
                provider.file_name().unwrap().to_str().unwrap(),
                endpoint.file_name().unwrap().to_str().unwrap()
            );
            for file in std::fs::read_dir(&endpoint).unwrap() {
                out.push((id.clone(), std::fs::read(file.unwrap().path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn tokens() -> impl Strategy<Value = Vec<u8>> {
    let token = proptest::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"",
        "\\",
        "\\u00ad",
        "\\ud83c",
        "1",
        "-",
        "e5",
        "true",
        "null",
        " ",
        "\n",
        "\r\n",
        "\t",
        "\u{ad}",
        "é",
        "🎉",
        "\u{202e}",
        "\u{1b}",
        "\"nohp\"",
        "\"pesan\"",
        "\"signature\"",
        "\"0812 3456\"",
        "\u{feff}",
    ]);
    proptest::collection::vec(token, 0..40).prop_map(|t| t.concat().into_bytes())
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(f64, u8),
    Delete(f64),
    Replace(f64, u8),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (0.0..1.0f64, any::<u8>()).prop_map(|(f, b)| Edit::Insert(f, b)),
        (0.0..1.0f64).prop_map(Edit::Delete),
        (0.0..1.0f64, any::<u8>()).prop_map(|(f, b)| Edit::Replace(f, b)),
    ];
    proptest::collection::vec(edit, 1..6)
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let at = |f: f64, len: usize| ((len as f64) * f) as usize;
        match *e {
            Edit::Insert(f, b) => {
                let i = at(f, bytes.len());
                bytes.insert(i, b);
            }
            Edit::Delete(f) if !bytes.is_empty() => {
                let i = at(f, bytes.len()).min(bytes.len() - 1);
                bytes.remove(i);
            }
            Edit::Replace(f, b) if !bytes.is_empty() => {
                let i = at(f, bytes.len()).min(bytes.len() - 1);
                bytes[i] = b;
            }
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64), which in any::<usize>()) {
        let ids = endpoints();
        check_spans(ids[which % ids.len()], &bytes);
    }

    #[test]
    fn json_tokens_and_multibyte_characters(bytes in tokens(), which in any::<usize>()) {
        let ids = endpoints();
        check_spans(ids[which % ids.len()], &bytes);
    }

    #[test]
    fn mutated_examples(which in any::<usize>(), edits in edits()) {
        let all = examples();
        let (id, bytes) = &all[which % all.len()];
        check_spans(id, &apply(bytes.clone(), &edits));
    }
}

#[test]
fn the_case_fuzzing_found() {
    let report = preflight::validate("chatbot/sendlocation", b"\"\xc2\xad").unwrap();
    let span = report.diagnostics[0].span.clone().unwrap();
    assert!("\"\u{ad}".is_char_boundary(span.start) && "\"\u{ad}".is_char_boundary(span.end));
    check_spans("chatbot/sendlocation", b"\"\xc2\xad");
}
