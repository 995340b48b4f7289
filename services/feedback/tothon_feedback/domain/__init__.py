"""The feedback service's domain model: categories and their deadlines, the working calendar, the
case and its workflow. No framework, no database."""
