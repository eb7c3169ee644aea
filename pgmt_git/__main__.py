from pgmt_git.cli import main_entry

main_entry()
