//! Properties of the generated types over their strategies, for every
//! endpoint:
//!
//! - values drawn from the strategies serialize to payloads on which the
//!   validator reports no schema-keyword finding (the types and their
//!   strategies never produce what the schema rejects);
//! - `parse(serialize(x)) == x`: a value comes back as the same Rust value
//!   (not only the same JSON), checked with preflight's own rules turned
//!   off, since the strategies know the schema, not every provider rule;
//! - with the rules on, `Request::from_value` accepts a value exactly when
//!   the validator has no error finding on it, and what it returns is that
//!   value: a value from `parse()` never has an error finding.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::types::{ParseError, Request};
use preflight::{Level, Options, Severity};
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn cases() -> u32 {
    std::env::var("PREFLIGHT_TYPES_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(500)
}

/// Every rule that is not a schema keyword, off.
fn keywords_only() -> Options {
    let mut options = Options::default();
    for rule in preflight::rules::all() {
        if rule.kind() != preflight::rules::RuleKind::Keyword {
            options.levels.insert(rule.name.to_string(), Level::Off);
        }
    }
    options
}

#[test]
fn generated_values_pass_the_schema_and_round_trip() {
    let keywords = keywords_only();
    let mut failures = Vec::new();
    let accepted_with_rules = std::cell::Cell::new(0usize);
    for endpoint in Request::ENDPOINTS {
        let strategy = Request::arbitrary_for(endpoint).unwrap();
        let mut runner = TestRunner::new(Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy, |request| {
            assert_eq!(request.endpoint_id(), *endpoint);
            let value = serde_json::to_value(&request).unwrap();
            let report = preflight::validate_value(endpoint, &value).unwrap();
            let keyword_findings: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| {
                    preflight::rules::get(&d.rule)
                        .is_ok_and(|r| r.kind() == preflight::rules::RuleKind::Keyword)
                })
                .map(|d| format!("{} at {}: {}", d.rule, d.pointer, d.message))
                .collect();
            if !keyword_findings.is_empty() {
                return Err(TestCaseError::fail(format!(
                    "{keyword_findings:#?}\n{value:#}"
                )));
            }
            // The same Rust value back, not only the same JSON.
            let again = Request::from_value_with(endpoint, value.clone(), &keywords)
                .map_err(|e| TestCaseError::fail(format!("does not parse back: {e}\n{value:#}")))?;
            if again != request {
                return Err(TestCaseError::fail(format!(
                    "a different value on parse: {value:#}\n{again:#?}\n{request:#?}"
                )));
            }
            // With the rules on: accepted exactly when there is no error finding.
            let errors = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            match Request::from_value(endpoint, value.clone()) {
                Ok(parsed) if errors == 0 => {
                    assert_eq!(parsed, request);
                    assert!(!parsed.validate().has_errors());
                    accepted_with_rules.set(accepted_with_rules.get() + 1);
                }
                Ok(_) => {
                    return Err(TestCaseError::fail(format!(
                        "accepted with {errors} error finding(s): {value:#}"
                    )));
                }
                Err(ParseError::Invalid { findings, .. }) if errors > 0 => {
                    assert_eq!(
                        findings.len(),
                        errors,
                        "every error finding is in the error"
                    );
                }
                Err(e) => {
                    return Err(TestCaseError::fail(format!(
                        "{e} (validator: {errors} error findings)\n{value:#}"
                    )));
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            failures.push(format!("{endpoint}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(
        accepted_with_rules.get() > 0,
        "no strategy value passed every rule"
    );
}

#[test]
fn a_json_array_is_not_an_object() {
    let array = r#"["6281234567890", "Halo", "https://tokobaju.co.id/a.jpg"]"#;
    let e = Request::parse("chatbot/sendwa", array).unwrap_err();
    assert!(matches!(e, ParseError::Mismatch { .. }), "{e}");
    // serde's derived Deserialize would take the array; the types' does not.
    let direct = serde_json::from_str::<preflight::types::chatbot::SendwaRequest>(array);
    let message = direct.unwrap_err().to_string();
    assert!(message.contains("expected a JSON object"), "{message}");
}

#[test]
fn parse_rejects_what_the_validator_rejects_with_every_finding() {
    // Fits the type; a newline and a tab in template parameters are rules
    // the validator holds.
    let json = r#"{"phone_number": "6281234567890", "message": {"type": "template",
        "template": {"template_code_id": "tagihan_bulanan_v2", "payload": [
          {"position": "body", "parameters": [{"type": "text", "text": "Andi\nWijaya"},
            {"type": "text", "text": "Rp\t150.000"}]}]}}}"#;
    let e = Request::parse("oca/push-message", json).unwrap_err();
    let ParseError::Invalid { findings, .. } = &e else {
        panic!("expected the validator's findings, got {e}");
    };
    let paths: Vec<String> = findings.iter().map(|f| f.path()).collect();
    assert_eq!(
        paths,
        [
            "message.template.payload[0].parameters[0].text",
            "message.template.payload[0].parameters[1].text"
        ],
        "{e}"
    );
    assert!(
        findings
            .iter()
            .all(|f| f.rule == "template-param-whitespace"),
        "{e}"
    );
}

#[test]
fn the_types_hold_the_provider_phone_form() {
    use preflight::types::oca::PushMessageRequestPhoneNumber as Phone;
    // OCA wants the country code: the trunk 0 and separators are refused by
    // the type itself, with the rule's words and the number to write.
    let e = Phone::try_from("0812 3456 7890").unwrap_err().to_string();
    assert!(
        e.contains("trunk prefix 0") && e.contains("`6281234567890`"),
        "{e}"
    );
    for ok in ["6281234567890", "+6281234567890"] {
        assert!(Phone::try_from(ok).is_ok(), "{ok}");
    }
    // And a payload with it is a mismatch naming the field.
    let json = r#"{"phone_number": "0812 3456 7890", "message": {"type": "template",
        "template": {"template_code_id": "tagihan_bulanan_v2", "payload": []}}}"#;
    let e = Request::parse("oca/push-message", json).unwrap_err();
    assert_eq!(e.pointer(), Some("/phone_number"), "{e}");
}

#[test]
fn a_secret_is_never_shown_in_a_constraint_error() {
    let secret = "not-hex-but-secret-value-000000000000000000000000000000000000000";
    let e = preflight::types::sandeza::Signature::try_from(secret)
        .unwrap_err()
        .to_string();
    assert!(!e.contains(secret) && e.contains("[redacted]"), "{e}");
}
