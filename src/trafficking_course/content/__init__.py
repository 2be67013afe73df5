"""The lecturer-editable records: scenarios, perspectives, quizzes, activities, indicator
cases. Each is YAML in data/ with a JSON Schema in schemas/, read by records.py's one loader;
a bad record raises its kind's error (a ContentError) naming file, record and field."""
