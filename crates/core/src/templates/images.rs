//! Images in templates (the editor's Afbeelding button): uploaded by a SuperAdmin, checked by
//! their bytes (PNG, JPEG, GIF or WebP, at most [`MAX_IMAGE_BYTES`]), kept once per
//! organisation under a name made from their content (`img-<sha256, 16 hex>.<ext>`), which the
//! document refers to as `cid:<name>`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use postkamer_domain::templates::{MAX_IMAGE_BYTES, TemplateImage, TemplateRule, image_format};
use postkamer_domain::validate::Invalid;
use postkamer_domain::{User, ValidationErrors};
use postkamer_store::StoreError;
use sha2::{Digest, Sha256};

use crate::{Core, CoreResult, require_superadmin};

fn refused(rule: TemplateRule) -> ValidationErrors {
    ValidationErrors::single("image", Invalid::Template { rule })
}

/// The image in a `data:` URL as the browser's FileReader makes it
/// (`data:image/png;base64,iVBOR…`); what it claims to be does not count, its bytes do.
fn from_data_url(data_url: &str) -> Result<Vec<u8>, ValidationErrors> {
    let encoded = data_url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(";base64,"))
        .map(|(_, data)| data)
        .ok_or_else(|| refused(TemplateRule::ImageType))?;
    // Base64 is 4/3 of the bytes: refuse what is too large before decoding it.
    if encoded.len() > MAX_IMAGE_BYTES.div_ceil(3) * 4 {
        return Err(refused(TemplateRule::ImageTooLarge));
    }
    STANDARD
        .decode(encoded.trim())
        .map_err(|_| refused(TemplateRule::ImageType))
}

impl Core {
    /// Keeps an uploaded image for the organisation's templates: the `src` for the document
    /// (`cid:img-….png`).
    pub async fn upload_template_image(&self, caller: &User, data_url: &str) -> CoreResult<String> {
        require_superadmin(caller)?;
        self.keep_template_image(caller, from_data_url(data_url)?)
            .await
    }

    /// The same for the image's bytes themselves (the JSON API).
    pub async fn keep_template_image(&self, caller: &User, bytes: Vec<u8>) -> CoreResult<String> {
        require_superadmin(caller)?;
        if bytes.len() > MAX_IMAGE_BYTES {
            return Err(refused(TemplateRule::ImageTooLarge).into());
        }
        let (content_type, extension) =
            image_format(&bytes).ok_or_else(|| refused(TemplateRule::ImageType))?;
        let name = format!(
            "img-{}.{extension}",
            hex::encode(&Sha256::digest(&bytes)[..8])
        );
        let image = TemplateImage {
            content_type: content_type.to_owned(),
            bytes,
        };
        self.store
            .save_template_image(caller.org_id, caller.id, &name, &image)
            .await?;
        Ok(format!("cid:{name}"))
    }

    /// One of the organisation's template images (content type, bytes), for everyone in it.
    pub async fn template_image(&self, caller: &User, name: &str) -> CoreResult<TemplateImage> {
        Ok(self.store.template_image(caller.org_id, name).await?)
    }

    /// Refuses a document showing an image the organisation does not have.
    pub(super) async fn check_images(
        &self,
        caller: &User,
        doc: &postkamer_templates::Document,
    ) -> CoreResult<()> {
        let missing = self
            .store
            .missing_template_images(caller.org_id, &doc.images())
            .await?;
        if !missing.is_empty() {
            let rule = TemplateRule::ImageSource;
            return Err(ValidationErrors::single("body", Invalid::Template { rule }).into());
        }
        Ok(())
    }

    /// The document's images as `data:` URLs by name, for showing a preview in the browser (an
    /// image the organisation does not have is left out: the preview shows its alt text).
    pub(super) async fn inline_images(
        &self,
        caller: &User,
        doc: &postkamer_templates::Document,
    ) -> CoreResult<std::collections::HashMap<String, String>> {
        let mut sources = std::collections::HashMap::new();
        for name in doc.images() {
            let image = match self.store.template_image(caller.org_id, name).await {
                Ok(image) => image,
                Err(StoreError::NotFound) => continue,
                Err(error) => return Err(error.into()),
            };
            let url = format!(
                "data:{};base64,{}",
                image.content_type,
                STANDARD.encode(&image.bytes)
            );
            sources.insert(name.to_owned(), url);
        }
        Ok(sources)
    }
}
