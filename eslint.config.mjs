import officeAddins from "eslint-plugin-office-addins";
import tsParser from "@typescript-eslint/parser";
import prettierPlugin from "eslint-plugin-prettier";

export default [
  { ignores: ["dist/**", "node_modules/**", "test-results/**", "coverage/**", "bench/results/**"] },
  ...officeAddins.configs.react,
  {
    files: ["**/*.{ts,tsx}"],
    // office-addins' preset registers the prettier plugin for .ts but not .tsx; register it for both.
    plugins: { prettier: prettierPlugin },
    languageOptions: { parser: tsParser, ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // TypeScript already resolves identifiers; no-undef cannot see DOM/Node ambient types.
      "no-undef": "off",
      "react/prop-types": "off",
      "react/react-in-jsx-scope": "off",
      "prettier/prettier": ["error", { endOfLine: "auto" }],
    },
  },
  {
    // The build's own scripts (webpack.config.js, scripts/*.js): CommonJS run by Node 20.
    files: ["*.js", "scripts/**/*.js"],
    plugins: { prettier: prettierPlugin },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        exports: "writable",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
      },
    },
    rules: { "prettier/prettier": ["error", { endOfLine: "auto" }] },
  },
];
