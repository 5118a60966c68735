fn main() {
    bantin::mount_all();
}
