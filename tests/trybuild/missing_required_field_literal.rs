// Nor with a struct literal that leaves a required field out.
use preflight::types::oca::{PushMessageRequest, PushMessageRequestPhoneNumber};

fn main() {
    let phone_number = PushMessageRequestPhoneNumber::try_from("6281234567890").unwrap();
    let _request = PushMessageRequest { phone_number };
}
