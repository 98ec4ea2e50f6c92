//! The custom resource that attaches this package's functions to the
//! existing pools: the template's `CognitoTriggerAttachLambdaFunction`.

fn main() {
    cognito_trigger_attach::run()
}
