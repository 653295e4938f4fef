//! A contract test written the way an application's own test would be: the
//! application builds its OCA invoice reminder with its own types, and the
//! test checks what it would send with `preflight::testing`.

#![allow(clippy::unwrap_used, reason = "tests")]

use preflight::testing::{assert_findings, assert_valid, render};
use serde::Serialize;

/// The application's own request types (not preflight's).
#[derive(Serialize)]
struct PushMessage {
    phone_number: String,
    message: Message,
}

#[derive(Serialize)]
struct Message {
    r#type: &'static str,
    template: Template,
}

#[derive(Serialize)]
struct Template {
    template_code_id: &'static str,
    payload: Vec<Component>,
}

#[derive(Serialize)]
struct Component {
    position: &'static str,
    parameters: Vec<Parameter>,
}

#[derive(Serialize)]
struct Parameter {
    r#type: &'static str,
    text: String,
}

/// The application's code under test.
fn invoice_reminder(phone: &str, name: &str, amount: &str, due: &str) -> PushMessage {
    let text = |t: &str| Parameter {
        r#type: "text",
        text: t.to_string(),
    };
    PushMessage {
        phone_number: phone.to_string(),
        message: Message {
            r#type: "template",
            template: Template {
                template_code_id: "tagihan_jatuh_tempo_v2",
                payload: vec![Component {
                    position: "body",
                    parameters: vec![text(name), text(amount), text(due)],
                }],
            },
        },
    }
}

#[test]
fn the_invoice_reminder_is_a_valid_oca_send() {
    let send = invoice_reminder(
        "6281234567890",
        "Bapak Raden Mas Bambang Sutrisno",
        "Rp 1.245.000",
        "25 Nov 2026",
    );
    assert_valid("oca/push-message", &send);
}

#[test]
fn a_number_from_the_crm_with_dashes_is_caught() {
    let send = invoice_reminder("0812-3456-7890", "Siti", "Rp 250.000", "25 Nov 2026");
    assert_findings("oca/push-message", &send, &["phone-format@/phone_number"]);
    insta::assert_snapshot!(render("oca/push-message", &send));
}
