//! The `eq_negotiator` command; see [`eq_negotiator::cli`].

fn main() -> std::process::ExitCode {
    eq_negotiator::cli::main()
}
