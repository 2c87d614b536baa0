"""Side-by-side speed measurements of the portal (`make bench`): see bench/README.md."""
