"""Data quality of the register: correct, complete, clean and live (đúng, đủ, sạch, sống)."""
