"""<%= name %>: <%= description %>."""
