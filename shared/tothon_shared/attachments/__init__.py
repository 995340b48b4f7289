"""Photos and files a service keeps (feedback's case photos, funds' evidence of expenses): checked
by their content, cleaned, stored by their hash in the service's own database, served safely.

- ``processing.process``: an upload judged by its content and cleaned (``Processed``);
- ``store.AttachmentStore``: a service's two tables (given its metadata and a name) and their
  queries (``Upload``);
- ``uploads.store_upload``: the two together, what an upload route calls;
- ``limits.Limits``: how large a file, and several files together, may be;
- ``errors.AttachmentError``: a refusal, named by its code;
- ``http``: the refusals' problems (``attachment_refusals``), a file's safe response
  (``file_response``) and the form field of a multipart upload (``UploadedFile``)."""
