// Uploads checked in the browser before they are sent: a file larger than data-max-bytes, an extension not in
// `accept`, or content that does not match its extension (a renamed .exe) is refused at once with a message next
// to the field, and the choice is cleared. The server still checks every file (validators.check_upload).
(function () {
  "use strict";
  var SIGNATURES = {
    ".pdf": [[0x25, 0x50, 0x44, 0x46, 0x2d]],
    ".png": [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
    ".jpg": [[0xff, 0xd8, 0xff]],
    ".jpeg": [[0xff, 0xd8, 0xff]],
    ".docx": [[0x50, 0x4b, 0x03, 0x04]]
  };
  var ACCEPTED = "Chỉ nhận tệp PDF, ảnh JPEG, ảnh PNG hoặc Word (DOCX).";

  function size(bytes) {
    var mb = bytes / (1024 * 1024);
    if (mb >= 1) return mb.toFixed(1).replace(".", ",").replace(",0", "") + " MB";
    return Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function extension(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot).toLowerCase();
  }

  function startsWith(bytes, signature) {
    for (var i = 0; i < signature.length; i++) {
      if (bytes[i] !== signature[i]) return false;
    }
    return true;
  }

  function contentMatches(file, ext) {
    var signatures = SIGNATURES[ext];
    if (!signatures || !file.slice || !file.slice(0, 8).arrayBuffer) return Promise.resolve(true);
    return file.slice(0, 8).arrayBuffer().then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      return signatures.some(function (s) { return startsWith(bytes, s); });
    }, function () { return true; });
  }

  function problemOf(file, input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var accept = (input.getAttribute("accept") || "").split(",").map(function (a) { return a.trim().toLowerCase(); })
      .filter(Boolean);
    var ext = extension(file.name);
    if (file.size === 0) return Promise.resolve("Tệp “" + file.name + "” rỗng.");
    if (limit && file.size > limit) {
      return Promise.resolve("Tệp “" + file.name + "” quá lớn: tối đa " + size(limit) + ", tệp đã chọn " +
        size(file.size) + ". Hãy chọn tệp nhỏ hơn (ví dụ quét với độ phân giải thấp hơn).");
    }
    if (accept.length && accept.indexOf(ext) < 0) {
      return Promise.resolve("Tệp “" + file.name + "” không được chấp nhận. " + ACCEPTED);
    }
    return contentMatches(file, ext).then(function (ok) {
      return ok ? "" : "Nội dung tệp “" + file.name + "” không đúng với đuôi " + ext + ". " + ACCEPTED;
    });
  }

  function messageFor(input) {
    var id = (input.id || input.name) + "-kiem-tra";
    var node = document.getElementById(id);
    if (!node) {
      node = document.createElement("p");
      node.id = id;
      node.className = "error-text upload-refused";
      node.setAttribute("role", "alert");
      input.parentNode.insertBefore(node, input);
    }
    return node;
  }

  function describe(input, id, on) {
    var ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) { return x && x !== id; });
    if (on) ids.unshift(id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }

  function check(input) {
    var files = Array.prototype.slice.call(input.files || []);
    Promise.all(files.map(function (f) { return problemOf(f, input); })).then(function (problems) {
      var found = problems.filter(Boolean);
      var node = messageFor(input);
      if (found.length) {
        node.textContent = found.join(" ");
        node.hidden = false;
        input.value = "";
        input.setAttribute("aria-invalid", "true");
        describe(input, node.id, true);
        if (input.closest(".field")) input.closest(".field").classList.add("field-error");
      } else {
        node.textContent = "";
        node.hidden = true;
        input.removeAttribute("aria-invalid");
        describe(input, node.id, false);
      }
    });
  }

  function setUp() {
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (input && input.matches && input.matches("input[type=file][data-max-bytes]")) check(input);
    });
  }
  setUp();
})();
