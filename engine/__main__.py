from stridewise.cli import main

main()
