"""Reviews and ratings: who may write them, what they must be, and the course's rating that follows them."""
