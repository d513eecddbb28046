use mimalloc::MiMalloc;

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

fn main() {
    eprintln!("rivet: not yet runnable");
    std::process::exit(1);
}
