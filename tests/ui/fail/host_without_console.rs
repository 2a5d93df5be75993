// A host whose console is `Missing` cannot run a flow that pops: its `Backend` bound names the
// capability, before anything runs (a loaded flow reports `missing_capability` instead).
ctiflow::ctiflow! {
    name = pops, source = VoiceContact, event = onConnecting,
    { "actions": [
        { "id": "s", "type": "SE_Start", "ports": { "done": "pop" } },
        { "id": "pop", "type": "SE_SFScreenpopObject", "controls": { "recordId": "0015g00000ACMEAAA" },
          "ports": { "success": "e", "failure": "e" } },
        { "id": "e", "type": "SE_End" }
    ] }
}

fn main() {
    let host = ctiflow::Host::new().with_salesforce(ctiflow::sandbox::Sandbox::new());
    let event = ctiflow::EventContext::new(pops::TRIGGER);
    let _ = pops::run(&host, &event);
}
