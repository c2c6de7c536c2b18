"""Pure rules with no Django imports: identifiers, masking, working days, the clock, errors."""
