"""Scaffolding: `mizan-dev new`, rendering the bundled Copier template and installing the project."""
