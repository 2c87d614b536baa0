"""The learners' API: accounts (`accounts`), learning (`learning`); `lms.api` mounts them."""
