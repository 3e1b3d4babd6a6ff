-- How a letter to a contact person opens (the merge field relatie.aanhef): automatisch ("Beste
-- Anna" when the first name is known, else "Geachte heer/mevrouw Jansen"), informeel, heer,
-- mevrouw or neutraal ("Geachte Anna Jansen").
ALTER TABLE persons ADD COLUMN salutation TEXT NOT NULL DEFAULT 'automatisch'
    CHECK (salutation IN ('automatisch', 'informeel', 'heer', 'mevrouw', 'neutraal'));
