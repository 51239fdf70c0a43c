"""Streets and buildings of the Vilnius address register, and the matcher that finds them."""
