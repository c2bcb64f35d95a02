-- An object's list defaults: the columns, sort and filter its list opens with when the user
-- has chosen no saved view ({"columns": [...], "sort": {"field", "direction"}, "filter": <DSL>}).
-- NULL: the web picks (the title and the first own fields). list_defaults_custom says an admin
-- set them (list view designer): a module's install then never replaces them with its own.
ALTER TABLE meta_object ADD COLUMN list_defaults jsonb, ADD COLUMN list_defaults_custom boolean NOT NULL DEFAULT false;
