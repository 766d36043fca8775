// An icon by file type, from the extension (browsers often give no MIME type for office files).
import {
  Document24Regular,
  DocumentPdf24Regular,
  DocumentText24Regular,
  FolderZip24Regular,
  Image24Regular,
  MusicNote224Regular,
  SlideText24Regular,
  Table24Regular,
  Video24Regular,
} from "@fluentui/react-icons";

const BY_EXTENSION: [RegExp, typeof Document24Regular][] = [
  [/\.pdf$/i, DocumentPdf24Regular],
  [/\.(png|jpe?g|gif|bmp|webp|heic|svg|tiff?)$/i, Image24Regular],
  [/\.(mp4|mov|avi|mkv|wmv|webm|m4v)$/i, Video24Regular],
  [/\.(mp3|wav|m4a|flac|ogg|aac)$/i, MusicNote224Regular],
  [/\.(zip|7z|rar|tar|gz|tgz|bz2|xz|cab|iso)$/i, FolderZip24Regular],
  [/\.(xlsx?|xlsm|csv|ods)$/i, Table24Regular],
  [/\.(pptx?|odp|key)$/i, SlideText24Regular],
  [/\.(docx?|odt|rtf|txt|md|log)$/i, DocumentText24Regular],
];

export function FileTypeIcon({ name, className }: { name: string; className?: string }) {
  const Icon = BY_EXTENSION.find(([pattern]) => pattern.test(name))?.[1] ?? Document24Regular;
  return <Icon className={className} aria-hidden="true" />;
}
