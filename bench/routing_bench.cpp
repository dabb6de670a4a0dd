// Placeholder: the routing benchmark (issue 4) is being written.
int main() { return 0; }
