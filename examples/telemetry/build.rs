fn main() {
    arbor_build::generate();
}
