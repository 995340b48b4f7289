"""The feedback service: residents' feedback and petitions, handled at the lowest competent level."""
