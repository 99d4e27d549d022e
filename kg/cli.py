def main() -> int:
    raise SystemExit("kg: the CLI is being built")
