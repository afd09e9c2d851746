// Placeholder entry point replaced by the help pipeline work in this same issue.
return 0;
