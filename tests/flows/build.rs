fn main() {
    cognito_trigger::build::run();
}
