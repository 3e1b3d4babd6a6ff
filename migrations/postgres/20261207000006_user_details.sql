-- What users say of themselves (Gebruikersinstellingen → Mijn gegevens): the merge fields
-- gebruiker.functie and gebruiker.telefoon.
ALTER TABLE users ADD COLUMN job_title TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;
