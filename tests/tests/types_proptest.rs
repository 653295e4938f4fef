//! Property: values drawn from the generated strategies serialize to
//! payloads on which the validator reports no schema-keyword finding — the
//! types and their strategies never produce what the schema rejects.
//! (Preflight's own rules judge what the schema cannot say; they are not
//! part of this property.)

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::types::Request;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn cases() -> u32 {
    std::env::var("PREFLIGHT_TYPES_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1000)
}

#[test]
fn generated_values_pass_the_schema() {
    let mut failures = Vec::new();
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
            let findings: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| {
                    preflight::rules::get(&d.rule)
                        .is_ok_and(|r| r.kind() == preflight::rules::RuleKind::Keyword)
                })
                .map(|d| format!("{} at {}: {}", d.rule, d.pointer, d.message))
                .collect();
            if findings.is_empty() {
                // And it parses back to the same payload.
                let again = Request::from_value(endpoint, value.clone()).map_err(|e| {
                    TestCaseError::fail(format!("does not parse back: {e}\n{value:#}"))
                })?;
                if serde_json::to_value(&again).unwrap() != value {
                    return Err(TestCaseError::fail(format!("changed on parse: {value:#}")));
                }
                Ok(())
            } else {
                Err(TestCaseError::fail(format!("{findings:#?}\n{value:#}")))
            }
        });
        if let Err(e) = result {
            failures.push(format!("{endpoint}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
